// Summarises a `node --cpu-prof` profile: the functions with the most self time, and the inclusive
// share of a few named frames (route matching, rendering, …).
// Usage: node bench/cpu-profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from "node:fs";

const profile = JSON.parse(readFileSync(process.argv[2], "utf8"));
const top = Number(process.argv[3] ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === "(idle)").reduce((a, [, t]) => a + t, 0);
const busy = total - idle;
const label = (n) => {
  const f = n.callFrame;
  const file = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/build\//, "build/");
  return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
};
const selfBy = new Map();
for (const [id, t] of self) {
  const key = label(byId.get(id));
  selfBy.set(key, (selfBy.get(key) ?? 0) + t);
}
const pct = (t) => `${((100 * t) / busy).toFixed(1)} %`;
console.log(`busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled\n\nself time:`);
for (const [k, t] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t).padStart(7)}  ${k}`);
// Inclusive time of frames matching a pattern (counted once per sample even when recursive).
const groups = {
  "route matching (matchRoutes/flattenRoutes/compilePath)":
    /^(matchRoutes|matchRoutesImpl|flattenRoutes|rankRouteBranches|compilePath|computeScore|matchRouteBranch|matchPath)$/,
  "route tree per render (createServerRoutes/convertRoutesToDataRoutes/createStaticRouter)":
    /^(createServerRoutes|convertRoutesToDataRoutes|createStaticRouter|groupRoutesByParentId)$/,
  "React render (renderToPipeableStream work)": /^(performWork|renderNode|renderElement|retryTask|performWorkUnit)$/,
  "turbo-stream encode": /^(encode|flatten|stringify)$/,
  "Prisma client": /^(_request|request|\$queryRaw|_executeRequest)$/,
  "better-sqlite3 prepare": /^prepare$/,
  "fs stat": /^(stat|statSync|send|SendStream|serveStatic)$/,
  "garbage collector": /^\(garbage collector\)$/,
};
console.log("\ninclusive:");
for (const [name, re] of Object.entries(groups)) {
  let t = 0;
  for (const [id, dt] of self) {
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      if (re.test(byId.get(cur).callFrame.functionName)) {
        t += dt;
        break;
      }
    }
  }
  console.log(`${pct(t).padStart(7)}  ${name}`);
}
