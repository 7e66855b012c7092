/**
 * The two W3C Bitstring Status Lists, revocation and suspension (docs/credentials.md, ADR 0030).
 *
 * Each issued credential gets one random index in each list (allocateStatusIndexes, inside the issuing
 * transaction); its two BitstringStatusListEntry statuses point there. Suspending or revoking flips the bit
 * (setStatus) — the credential itself never changes. The lists are served as signed
 * BitstringStatusListCredentials (statusListCredential), signed once per change and kept in the StatusList row.
 *
 * An index is a StatusListEntry row (primary key: purpose + index), inserted with ON CONFLICT DO NOTHING: a
 * collision — with an existing index or with a concurrent transaction's — inserts nothing, without aborting the
 * caller's transaction, and another random index is tried. The same SQL runs on SQLite and PostgreSQL.
 */
import { randomInt } from "node:crypto";
import { createCredential, createList } from "@digitalbazaar/vc-bitstring-status-list";
import { signDataIntegrity } from "#app/credentials/data-integrity.server";
import {
  type CredentialOptions,
  credentialBaseUrl,
  issuerId,
  STATUS_PURPOSES,
  type StatusPurpose,
  statusListUrl,
  xsdDate,
} from "#app/credentials/issuer.server";
import { loadSigningKeys } from "#app/credentials/keys.server";
import { type DbTx, getDb } from "#app/db.server";

/** Bits per list: the specification's minimum (16 KiB), so one index says little about who holds it. */
export const STATUS_LIST_LENGTH = 131_072;
const MAX_ATTEMPTS = 64;

export class StatusListError extends Error {
  override readonly name = "StatusListError";
}

export type StatusIndexes = { revocationIndex: number; suspensionIndex: number };

/** Creates the list rows if this database has none yet (idempotent, safe under concurrency). */
async function ensureLists(tx: DbTx): Promise<void> {
  for (const purpose of STATUS_PURPOSES) {
    await tx.$executeRaw`INSERT INTO "StatusList" ("purpose", "length") VALUES (${purpose}, ${STATUS_LIST_LENGTH}) ON CONFLICT DO NOTHING`;
  }
}

/**
 * Allocates a fresh random index in each list, inside the caller's transaction (pass the transaction client):
 * if the transaction rolls back, the indexes are free again. `pick` chooses a candidate in [0, length) — random
 * by default (tests pass their own to force collisions).
 */
export async function allocateStatusIndexes(tx: DbTx, options: { pick?: (length: number) => number } = {}): Promise<StatusIndexes> {
  const pick = options.pick ?? ((length: number) => randomInt(0, length));
  await ensureLists(tx);
  return {
    revocationIndex: await allocate(tx, "revocation", pick),
    suspensionIndex: await allocate(tx, "suspension", pick),
  };
}

async function allocate(tx: DbTx, purpose: StatusPurpose, pick: (length: number) => number): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const index = pick(STATUS_LIST_LENGTH);
    if (!Number.isInteger(index) || index < 0 || index >= STATUS_LIST_LENGTH)
      throw new StatusListError(`Index ${index} is outside the list.`);
    const inserted =
      await tx.$executeRaw`INSERT INTO "StatusListEntry" ("purpose", "index") VALUES (${purpose}, ${index}) ON CONFLICT DO NOTHING`;
    if (inserted === 1) return index;
  }
  throw new StatusListError(`No free index in the ${purpose} list after ${MAX_ATTEMPTS} random tries: the list is nearly full.`);
}

/**
 * Sets (on = true) or clears one bit: suspend / reinstate, revoke. Returns whether it changed (false when it
 * already was so). An index that was never allocated is refused. Runs in `tx` when given (e.g. the transaction
 * that records the certificate's change and its audit event), else in a transaction of its own.
 */
export async function setStatus(purpose: StatusPurpose, index: number, on: boolean, tx?: DbTx): Promise<boolean> {
  const run = async (t: DbTx) => {
    const now = new Date();
    const changed = await t.statusListEntry.updateMany({ where: { purpose, index, value: !on }, data: { value: on, changedAt: now } });
    if (changed.count === 0) {
      const entry = await t.statusListEntry.findUnique({ where: { purpose_index: { purpose, index } }, select: { value: true } });
      if (!entry) throw new StatusListError(`Index ${index} is not allocated in the ${purpose} list.`);
      return false;
    }
    await t.statusList.update({ where: { purpose }, data: { version: { increment: 1 }, updatedAt: now } });
    return true;
  };
  return tx ? run(tx) : getDb().$transaction(run);
}

/** The indexes set in a list now (from the entries; what the next signed list will carry). */
export async function setIndexes(purpose: StatusPurpose, db: DbTx = getDb()): Promise<number[]> {
  const rows = await db.statusListEntry.findMany({ where: { purpose, value: true }, select: { index: true }, orderBy: { index: "asc" } });
  return rows.map((r) => r.index);
}

export type StatusListCredential = Record<string, unknown> & {
  id: string;
  credentialSubject: { type: "BitstringStatusList"; statusPurpose: StatusPurpose; encodedList: string };
};

/**
 * The list as a signed BitstringStatusListCredential. The copy kept in the database is served while the list,
 * the base URL and the active key are the ones it was signed for; otherwise the list is signed again and kept
 * (only if no bit changed meanwhile — a later change is signed by the next request).
 */
export async function statusListCredential(
  purpose: StatusPurpose,
  options: CredentialOptions & { db?: DbTx } = {},
): Promise<StatusListCredential> {
  const db = options.db ?? getDb();
  const base = credentialBaseUrl(options);
  const keys = await loadSigningKeys();
  const kid = keys.activeEd25519.kid;
  let row = await db.statusList.findUnique({ where: { purpose } });
  if (!row) {
    await ensureLists(db);
    row = await db.statusList.findUniqueOrThrow({ where: { purpose } });
  }
  if (row.credential && row.signedVersion === row.version && row.signedBaseUrl === base && row.signedKeyId === kid) {
    return JSON.parse(row.credential) as StatusListCredential;
  }
  // The version is read before the bits: a change committed in between is in the bits and moves the version on,
  // so the next request signs again — a stale list is never kept as current.
  const version = row.version;
  const list = await createList({ length: row.length });
  for (const index of await setIndexes(purpose, db)) list.setStatus(index, true);
  const unsigned = await createCredential({ id: statusListUrl(purpose, { appUrl: base }), list, statusPurpose: purpose });
  const now = new Date();
  const signed = (await signDataIntegrity(
    { ...unsigned, issuer: issuerId({ appUrl: base }), validFrom: xsdDate(now) },
    { appUrl: base },
  )) as unknown as StatusListCredential;
  await db.statusList.updateMany({
    where: { purpose, version },
    data: {
      credential: JSON.stringify(signed),
      encodedList: signed.credentialSubject.encodedList,
      signedVersion: version,
      signedBaseUrl: base,
      signedKeyId: kid,
      signedAt: now,
    },
  });
  return signed;
}
