// The machine and software a run happened on.
import { execFileSync } from "node:child_process";
import os from "node:os";
import { repoRoot } from "./paths.mjs";

function git(args) {
  try {
    return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? cpus.length,
    cpu: cpus[0]?.model?.trim() ?? "unknown",
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memory: os.totalmem(),
    loadAverage: os.loadavg(),
    commit: git(["rev-parse", "--short", "HEAD"]),
    dirty: Boolean(git(["status", "--porcelain", "--untracked-files=no"])),
  };
}
