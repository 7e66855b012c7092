/**
 * The certificates' daily job (docs/certificates.md, ADR 0033): records the
 * expiries that have passed (an EXPIRED event; verifiers already see
 * "expired" from the date) and sends the 60-day expiry notices, each once.
 * Safe on several instances at once and as often as wanted: each certificate
 * is claimed by one conditional update.
 *
 * Run by `npm run certificates:daily` (scripts/certificates-daily.ts) and,
 * every CERTIFICATE_JOB_INTERVAL_HOURS, by a timer in the server (the first
 * run a minute after start), started through the build entry like the
 * recording purge.
 */

import { mailNotices } from "#app/certificates/notices.server";
import type { Db } from "#app/db.server";
import { getDb } from "#app/db.server";
import { EXPIRY_NOTICE_DAYS } from "#app/domain/certificate-rules";
import { env, publicBaseUrl } from "#app/env.server";
import { type Schedule, scheduleRuns } from "#app/jobs/schedule.server";
import { recordDueExpiries, recordDueExpiryNotices } from "#app/models/certificate.server";

export type DailyCounts = { expired: number; noticed: number };

export async function runCertificateJobs(options: { db: Db; now: Date; baseUrl: string }): Promise<DailyCounts> {
  const expired = await recordDueExpiries(options.db, options.now);
  const notices = await recordDueExpiryNotices(options.db, options.now, EXPIRY_NOTICE_DAYS);
  mailNotices(notices, options.baseUrl);
  return { expired, noticed: notices.length };
}

function log(level: "info" | "error", msg: string, fields: object) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === "info") console.log(line);
  else console.error(line);
}

let serverSchedule: Schedule | null = null;

/** The server's timer (CERTIFICATE_JOB_INTERVAL_HOURS, 0 = off); a second call does nothing. False when off or running. */
export function startCertificateTimer(): boolean {
  const hours = env().CERTIFICATE_JOB_INTERVAL_HOURS;
  if (hours <= 0 || serverSchedule) return false;
  serverSchedule = scheduleRuns({
    intervalMs: hours * 60 * 60 * 1000,
    firstAfterMs: 60 * 1000,
    run: () => runCertificateJobs({ db: getDb(), now: new Date(), baseUrl: publicBaseUrl(env()) }),
    done: (counts) => {
      if (counts.expired + counts.noticed > 0) log("info", "certificates daily job", counts);
    },
    failed: (error) => log("error", "certificates daily job failed", { error: String(error) }),
  });
  return true;
}

/** Stops the timer, waiting for a run in progress (before the database closes). */
export async function stopCertificateTimer(): Promise<void> {
  const schedule = serverSchedule;
  serverSchedule = null;
  await schedule?.stop();
}
