// What the benchmarks share: starting and watching production servers, reading a process's memory and CPU from
// /proc, signing in. Each bench/*.ts is its own program; these are its helpers (not a framework).
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

/** Resolves with the first match of `pattern` in the child's stdout (e.g. the `"port":N` of the listening line). */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${out}`)), 30_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}

/** Resident memory of a process, in MB (0 without a pid). */
export function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The flags between `node` and `build/server.js` in package.json's start:prod script. */
export function startProdFlags(): string {
  const script = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts["start:prod"] ?? "";
  return script.match(/\bnode ((?:--\S+ )*)build\/server\.js/)?.[1]?.trim() ?? "";
}

/** Signs in through the login form; returns the session's Cookie header. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`sign-in as ${email} failed: ${res.status}`);
  return cookie;
}
