// Its own file, so its own database: a world with exactly one administrator.
import { expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { anonymisePerson } from "#app/models/person-removal.server";
import { makeUser } from "../support/app";

it("refuses to anonymise the last active administrator", async () => {
  const db = getDb();
  const admin = await makeUser(["ADMIN"]);
  const moderator = await makeUser(["MODERATOR"]);
  expect(await db.user.count({ where: { status: "ACTIVE", roles: { some: { role: "ADMIN" } } } })).toBe(1);
  expect(await anonymisePerson(db, { userId: admin.id, by: moderator.id })).toEqual({ ok: false, error: "last-admin" });
  expect(await anonymisePerson(db, { userId: admin.id, by: null })).toEqual({ ok: false, error: "last-admin" });
  expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ status: "ACTIVE", anonymisedAt: null });
  // With a second administrator it is allowed.
  const second = await makeUser(["ADMIN"]);
  expect(await anonymisePerson(db, { userId: admin.id, by: second.id })).toEqual({ ok: true });
});
