// Certificate rows for the verification tests: written straight into the Certificate table with the fields a
// verifier sees (holder snapshot, credential, issuer, dates, status, register opt-in). Issuing through the
// pathway (app/models/certificate.server.ts) needs a trainee's whole evidence; the verification routes only read
// these rows, so the tests make exactly the rows they need.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { getDb } from "#app/db.server";
import { CODE_RANDOM_BYTES, generateCertificateCode } from "#app/domain/certificate-code";
import { makeUser } from "./app";

export type CertificateRow = {
  id: string;
  code: string;
  holderId: string;
  holderName: string;
  revocationIndex: number;
  suspensionIndex: number;
};

let issuerId: string | undefined;

export async function makeCertificate(
  over: {
    holderName?: string;
    registrationBody?: string | null;
    registrationNumber?: string | null;
    status?: "ACTIVE" | "SUSPENDED" | "REVOKED";
    issuedAt?: Date;
    expiresAt?: Date | null;
    onRegister?: boolean;
    holderId?: string;
  } = {},
): Promise<CertificateRow> {
  const db = getDb();
  issuerId ??= (await makeUser(["ADMIN"])).id;
  const holderId = over.holderId ?? (await makeUser(["TRAINEE"], { name: over.holderName })).id;
  const holderName = over.holderName ?? `Holder ${randomBytes(3).toString("hex")}`;
  const evidence = JSON.stringify({ pathway: "dit-practitioner@1", steps: [] });
  for (let attempt = 0; ; attempt++) {
    try {
      const row = await db.certificate.create({
        data: {
          code: generateCertificateCode(randomBytes(CODE_RANDOM_BYTES)),
          holderId,
          holderName,
          registrationBody: over.registrationBody === undefined ? "HCPC" : over.registrationBody,
          registrationNumber: over.registrationNumber === undefined ? `PYL${randomInt(100000, 999999)}` : over.registrationNumber,
          pathwayId: "dit-practitioner",
          pathwayVersion: 1,
          credentialName: "DIT Practitioner",
          issuerName: "Attune DIT Training",
          evidence,
          evidenceHash: createHash("sha256").update(evidence).digest("hex"),
          issuedById: issuerId,
          issuedAt: over.issuedAt ?? new Date("2026-06-01T00:00:00Z"),
          expiresAt: over.expiresAt === undefined ? new Date("2029-06-01T00:00:00Z") : over.expiresAt,
          status: over.status ?? "ACTIVE",
          revocationIndex: randomInt(0, 131_072),
          suspensionIndex: randomInt(0, 131_072),
          onRegister: over.onRegister ?? false,
        },
        select: { id: true, code: true, holderId: true, holderName: true, revocationIndex: true, suspensionIndex: true },
      });
      return row;
    } catch (error) {
      // A random index already taken by another row of this file's database: draw again.
      if (attempt < 5 && String(error).includes("Unique constraint")) continue;
      throw error;
    }
  }
}
