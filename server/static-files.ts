import { readdirSync } from "node:fs";
import path from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";

/** Every file under `root`, as the URL path that names it ("/favicon.svg", "/assets/entry-abc.js"). */
export function listStaticPaths(root: string): Set<string> {
  const paths = new Set<string>();
  const walk = (dir: string, prefix: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // no build/client yet (tests that mount no client): nothing is static
    }
    for (const entry of entries) {
      const url = `${prefix}/${encodeURIComponent(entry.name)}`;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), url);
      else if (entry.isFile()) paths.add(url);
    }
  };
  walk(root, "");
  return paths;
}

/**
 * The production build's client files (build/client), answered for exactly their paths.
 * The directory is listed once at start, so a page request costs one Set lookup and never
 * touches the file system (express.static in front of every route stat()ed each page's path,
 * ENOENT included). Fingerprinted files under /assets are immutable for a year; the rest an hour.
 * A file added to build/client after start is not served until the next start.
 */
export function staticFiles(root: string) {
  const known = listStaticPaths(root);
  const assets = express.static(path.join(root, "assets"), { immutable: true, maxAge: "1y", index: false, fallthrough: true });
  const others = express.static(root, { maxAge: "1h", index: false, fallthrough: true });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !known.has(req.path)) return next();
    if (req.path.startsWith("/assets/")) {
      // serve-static resolves req.url against its root: strip the mount prefix as app.use("/assets") would.
      const url = req.url;
      req.url = url.slice("/assets".length);
      return assets(req, res, (error?: unknown) => {
        req.url = url;
        next(error);
      });
    }
    return others(req, res, next);
  };
}
