// Certificates for tests that are not about issuing them (pages, access, status changes, the daily job): rows
// written directly, with real status-list indexes and an ISSUED event (test setup, not behaviour under test).
// Issuing itself is tested through issueCertificate over a trainee who meets every step.
import { randomBytes } from "node:crypto";
import { getDb } from "#app/db.server";
import { CODE_RANDOM_BYTES, generateCertificateCode } from "#app/domain/certificate-code";
import { sealSnapshot } from "#app/domain/certificate-snapshot";
import { allocateStatusIndexes } from "#app/models/status-list.server";
import { makeUser } from "./app";

type Options = {
  status?: "ACTIVE" | "SUSPENDED" | "REVOKED";
  issuedAt?: Date;
  expiresAt?: Date | null;
  onRegister?: boolean;
  holderName?: string;
  pathwayId?: string;
  /** The holder's home registration as the certificate records it (default BACP and a random MBACP number). */
  registrationBody?: string | null;
  registrationNumber?: string | null;
};

/** A certificate of `holderId` (issued by a fresh admin), ACTIVE unless told otherwise; returns its row. */
export async function makeCertificate(holderId: string, options: Options = {}) {
  const admin = await makeUser(["ADMIN"]);
  const issuedAt = options.issuedAt ?? new Date();
  const snapshot = sealSnapshot({
    kind: "pathway",
    pathway: { id: options.pathwayId ?? "dit-practitioner", version: 1 },
    evaluatedAt: issuedAt,
    steps: [],
  });
  return getDb().$transaction(async (tx) => {
    const indexes = await allocateStatusIndexes(tx);
    const holder = await tx.user.findUniqueOrThrow({ where: { id: holderId }, select: { name: true } });
    const cert = await tx.certificate.create({
      data: {
        code: generateCertificateCode(randomBytes(CODE_RANDOM_BYTES)),
        holderId,
        holderName: options.holderName ?? holder.name,
        registrationBody: options.registrationBody === undefined ? "BACP" : options.registrationBody,
        registrationNumber:
          options.registrationNumber === undefined ? `MBACP ${Math.floor(Math.random() * 900000 + 100000)}` : options.registrationNumber,
        pathwayId: options.pathwayId ?? "dit-practitioner",
        pathwayVersion: 1,
        credentialName: "Fixture Practitioner",
        issuerName: "Attune fixture body",
        evidence: snapshot.json,
        evidenceHash: snapshot.hash,
        issuedById: admin.id,
        issuedAt,
        expiresAt: options.expiresAt === undefined ? new Date(issuedAt.getTime() + 365 * 86_400_000) : options.expiresAt,
        status: options.status ?? "ACTIVE",
        onRegister: options.onRegister ?? false,
        ...indexes,
      },
    });
    await tx.certificateEvent.create({ data: { certificateId: cert.id, type: "ISSUED", actorId: admin.id, at: issuedAt } });
    return { ...cert, adminId: admin.id };
  });
}

/** A certificate of a new holder (a trainee named `holderName`, if given): for tests of what verifiers see. */
export async function makeHolderCertificate(options: Options = {}) {
  const holder = await makeUser(["TRAINEE"], { name: options.holderName });
  return makeCertificate(holder.id, options);
}
