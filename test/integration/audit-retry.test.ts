// Its own file: it writes rows that are not a valid chain (to provoke real unique violations).
import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { audited, isRetryableAuditError } from "#app/models/audit.server";

it("retries a collision on prevHash (the chain race), and nothing else that is unique", async () => {
  const db = getDb();
  const tag = randomBytes(4).toString("hex");
  const insert = (prevHash: string, hash: string) =>
    db.$executeRaw`INSERT INTO "AuditEvent" ("createdAt", "type", "data", "lane", "prevHash", "hash") VALUES (${new Date()}, ${`test.race.${tag}`}, '{}', 0, ${prevHash}, ${hash})`;
  const failure = (run: () => Promise<unknown>) =>
    run().then(
      () => new Error("did not fail"),
      (e: unknown) => e,
    );
  const race = await failure(() =>
    audited(
      db,
      async (tx) => {
        await tx.$executeRaw`INSERT INTO "AuditEvent" ("createdAt", "type", "data", "lane", "prevHash", "hash") VALUES (${new Date()}, 'test.race', '{}', 0, ${`p-${tag}`}, ${`h1-${tag}`})`;
        await tx.$executeRaw`INSERT INTO "AuditEvent" ("createdAt", "type", "data", "lane", "prevHash", "hash") VALUES (${new Date()}, 'test.race', '{}', 0, ${`p-${tag}`}, ${`h2-${tag}`})`;
      },
      { attempts: 1 },
    ),
  );
  expect(isRetryableAuditError(race)).toBe(true);
  await insert(`q1-${tag}`, `same-${tag}`);
  expect(isRetryableAuditError(await failure(() => insert(`q2-${tag}`, `same-${tag}`)))).toBe(false);
  const userTaken = await failure(() =>
    db.user
      .create({ data: { email: "dup@example.test", name: "x" } })
      .then(() => db.user.create({ data: { email: "dup@example.test", name: "y" } })),
  );
  expect(isRetryableAuditError(userTaken)).toBe(false);
});
