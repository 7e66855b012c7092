import type { NextFunction, Request, Response } from "express";

/**
 * Path segments that look like secrets (one-time tokens: long runs of
 * base64url) are replaced, so no log line carries a usable link.
 */
export function redactPath(path: string): string {
  return path
    .split("/")
    .map((segment) => (/^[A-Za-z0-9_-]{32,}$/.test(segment) ? ":token" : segment))
    .join("/");
}

export type LogLine = {
  time: string;
  level: "info" | "warn" | "error";
  msg: "request";
  method: string;
  path: string;
  status: number;
  ms: number;
  aborted?: true;
};

export function requestLine(input: { method: string; url: string; status: number; ms: number; aborted: boolean }): LogLine {
  // The query string is dropped: it can hold search terms about people.
  const path = redactPath(input.url.split("?")[0] ?? "/");
  return {
    time: new Date().toISOString(),
    level: input.status >= 500 ? "error" : input.status >= 400 ? "warn" : "info",
    msg: "request",
    method: input.method,
    path,
    status: input.status,
    ms: Math.round(input.ms * 10) / 10,
    ...(input.aborted ? { aborted: true as const } : {}),
  };
}

/** One JSON line per request: method, path, status, duration. No query strings, headers, bodies or IPs. */
export function requestLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      write(JSON.stringify(requestLine({ method: req.method, url: req.originalUrl, status: res.statusCode, ms, aborted })));
    };
    res.on("finish", () => finish(false));
    res.on("close", () => finish(!res.writableFinished));
    next();
  };
}
