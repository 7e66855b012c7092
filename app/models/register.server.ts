import type { DbTx } from "#app/db.server";
import { env } from "#app/env.server";
import type { Prisma } from "#app/generated/prisma/client";
import { PUBLIC_SELECT, type PublicCertificate, toPublic } from "#app/models/certificate.server";

/**
 * The public register (docs/verification.md, ADR 0034): certificates whose holders opted in (`onRegister`),
 * except revoked ones and those of people who were anonymised, searchable by name or registration number.
 */

export const REGISTER_PAGE_SIZE = 25;
/** At most this many words of a query are used. */
const MAX_WORDS = 6;

/**
 * A case-insensitive "contains" on both databases: PostgreSQL's ILIKE (Prisma's `mode: "insensitive"`, which the
 * SQLite client does not accept), SQLite's LIKE (case-insensitive for ASCII letters; other letters must match in
 * case there). The schema-level alternative, a stored lower-cased key like User.searchKey, would have to be
 * written wherever a certificate is issued.
 */
export function containsIgnoringCase(value: string): Prisma.StringFilter<"Certificate"> {
  const postgres = env().DATABASE_URL.startsWith("postgres");
  return (postgres ? { contains: value, mode: "insensitive" } : { contains: value }) as Prisma.StringFilter<"Certificate">;
}

/** The words of a register query: split on spaces and commas, at most MAX_WORDS. */
export function queryWords(q: string): string[] {
  return q
    .split(/[\s,]+/u)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, MAX_WORDS);
}

export type RegisterPage = { query: string; page: number; pageSize: number; total: number; pages: number; results: PublicCertificate[] };

/** One page of the register: every word of `q` in the holder's name or registration number, ordered by name. */
export async function searchRegister(
  db: DbTx,
  { q, page }: { q: string; page: number },
  baseUrl: string,
  now = new Date(),
): Promise<RegisterPage> {
  const words = queryWords(q);
  const where: Prisma.CertificateWhereInput = {
    onRegister: true,
    status: { not: "REVOKED" },
    holder: { anonymisedAt: null },
    AND: words.map((w) => ({ OR: [{ holderName: containsIgnoringCase(w) }, { registrationNumber: containsIgnoringCase(w) }] })),
  };
  const [rows, total] = await Promise.all([
    db.certificate.findMany({
      where,
      select: PUBLIC_SELECT,
      orderBy: [{ holderName: "asc" }, { issuedAt: "desc" }, { code: "asc" }],
      skip: (page - 1) * REGISTER_PAGE_SIZE,
      take: REGISTER_PAGE_SIZE,
    }),
    db.certificate.count({ where }),
  ]);
  return {
    query: words.join(" "),
    page,
    pageSize: REGISTER_PAGE_SIZE,
    total,
    pages: Math.max(1, Math.ceil(total / REGISTER_PAGE_SIZE)),
    results: rows.map((r) => toPublic(r, baseUrl, now)),
  };
}
