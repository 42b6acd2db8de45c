// Child processes with visible progress: output is streamed with a prefix when `verbose`, otherwise
// kept and shown only if the command fails.
import { spawn } from "node:child_process";

export function run(command, args, { cwd, env, verbose = false, label = command } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk) => {
      output += chunk;
      if (verbose) process.stderr.write(String(chunk).replace(/^(?=.)/gm, `  [${label}] `));
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${label} (${command} ${args.join(" ")}) exited with ${code}\n${verbose ? "" : output}`));
    });
  });
}
