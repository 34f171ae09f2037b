import { spawn } from "node:child_process";

const ROOT = new URL("../../..", import.meta.url).pathname;

/** Runs one of the repository's Node scripts as a user would, with this Node; resolves its exit and output. */
export function runScript(script, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
