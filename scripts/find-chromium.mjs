// Finds a Chromium for the end-to-end tests: CHROMIUM_PATH, then the usual places.
import { existsSync } from "node:fs";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

export const CHROMIUM_HELP = [
  "No Chromium found for the end-to-end tests.",
  "Install one, for example on Debian/Ubuntu:",
  "  sudo apt-get update && sudo apt-get install -y chromium",
  "or point CHROMIUM_PATH at a Chromium or Chrome binary:",
  "  CHROMIUM_PATH=/path/to/chromium npm test",
].join("\n");

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}
