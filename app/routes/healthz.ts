import { getDb } from "#app/db.server";
import { pingDatabase } from "#app/models/health.server";

const TIMEOUT_MS = 3000;

/** Liveness with a database round-trip: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const started = performance.now();
  try {
    await pingDatabase(getDb(), TIMEOUT_MS);
    return Response.json(
      { status: "ok", database: "ok", ms: Math.round(performance.now() - started) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
