// Resident memory of a process and all its descendants (next start may fork workers), from /proc.
import { readdirSync, readFileSync } from "node:fs";

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return -1;
  }
}

function rssKb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function processTreeRssMb(root) {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  const children = new Map();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(pid);
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    total += rssKb(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return Math.round(total / 1024);
}
