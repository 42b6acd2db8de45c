// Runs a bench child process and returns its last stdout line as JSON; stderr is passed through
// (progress) and kept for the error message if the child fails.
import { spawn } from "node:child_process";

export function runChild(script, args, { nodeFlags = [], cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.trim().split("\n").pop();
      if (code !== 0 || !line) {
        reject(new Error(`${script} exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(line));
      } catch (error) {
        reject(new Error(`${script} printed no JSON result: ${line.slice(0, 200)} (${error.message})`));
      }
    });
  });
}
