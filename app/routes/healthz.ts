import { getDb } from "#app/db.server";

const TIMEOUT_MS = 3000;

/** Liveness with a database round-trip: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const started = performance.now();
  try {
    const db = getDb();
    await Promise.race([
      db.$queryRawUnsafe("SELECT 1"),
      new Promise((_, reject) => setTimeout(() => reject(new Error("database timeout")), TIMEOUT_MS).unref()),
    ]);
    return Response.json(
      { status: "ok", database: "ok", ms: Math.round(performance.now() - started) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
