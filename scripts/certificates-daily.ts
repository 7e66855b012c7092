// The certificates' daily job (app/certificates/jobs.server.ts): records expiries that have passed and sends the
// 60-day expiry notices, each once. Safe to run while servers run, on any instance, as often as wanted. The server
// also runs it every CERTIFICATE_JOB_INTERVAL_HOURS; use this from a system timer when that is 0.
// Usage: npm run certificates:daily
import { runCertificateJobs } from "#app/certificates/jobs.server";
import { disconnectDb, getDb } from "#app/db.server";
import { env, publicBaseUrl } from "#app/env.server";
import { outboxIdle } from "#app/mail/outbox.server";

async function main() {
  try {
    const counts = await runCertificateJobs({ db: getDb(), now: new Date(), baseUrl: publicBaseUrl(env()) });
    await outboxIdle();
    console.log(`certificates:daily: ${counts.expired} expiries recorded, ${counts.noticed} expiry notices sent.`);
  } finally {
    await disconnectDb();
  }
}

main().catch((error) => {
  console.error(`certificates:daily: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
