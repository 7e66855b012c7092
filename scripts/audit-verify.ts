// Recomputes the audit log's hash chain and reports the first broken row.
// Usage: npm run audit:verify   (exit 0 intact, 1 broken)
import { createPrisma } from "#app/db.server";
import { env } from "#app/env.server";
import { verifyAuditChain } from "#app/models/audit.server";

async function main() {
  const db = createPrisma(env().DATABASE_URL);
  try {
    const report = await verifyAuditChain(db);
    if (report.broken) {
      const why =
        report.broken.reason === "prev-hash-mismatch" ? "does not link to the row before it" : "its contents do not match its hash";
      console.error(`audit: chain BROKEN at event #${report.broken.id}: ${why} (${report.checked} events before it are intact).`);
      process.exitCode = 1;
    } else {
      console.log(`audit: chain intact (${report.checked} events).`);
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
