import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import { recentlyDeactivated } from "#app/models/admin-overview.server";
import { addCohortMember, createCohort } from "#app/models/cohort.server";
import { inviteUser, setUserActive } from "#app/models/user.server";
import * as adminIndex from "#app/routes/admin._index";
import { callLoader, cookieFor, makeUser } from "../support/app";

type Overview = {
  invitations: { total: number; people: { id: string; name: string; link: string; expired: boolean }[] };
  deactivated: { total: number; people: { id: string; name: string }[] };
  unsupervised: { total: number; cohorts: { id: string; name: string; trainees: number }[] };
};

async function overview(adminId: string): Promise<Overview> {
  const out = await callLoader(adminIndex.loader, { path: "/admin", cookie: await cookieFor(adminId) });
  expect(out.status).toBe(200);
  return out.data as Overview;
}

describe("the administrators' index", () => {
  it("lists invitations not yet accepted, saying which links have expired", async () => {
    const admin = await makeUser(["ADMIN"]);
    const before = await overview(admin.id);
    const fresh = await inviteUser(getDb(), {
      email: "fresh@example.test",
      name: "Fay Fresh",
      roles: ["TRAINEE"],
      by: admin.id,
      ttlHours: 72,
    });
    const stale = await inviteUser(
      getDb(),
      { email: "stale@example.test", name: "Stan Stale", roles: ["TRAINEE"], by: admin.id, ttlHours: 72 },
      new Date(Date.now() - 5 * 86_400_000),
    );
    const active = await makeUser(["TRAINEE"], { name: "Ann Active" });
    if (!fresh.ok || !stale.ok) throw new Error("could not invite");

    const after = await overview(admin.id);
    expect(after.invitations.total).toBe(before.invitations.total + 2);
    const byId = new Map(after.invitations.people.map((p) => [p.id, p]));
    expect(byId.get(fresh.userId)).toMatchObject({ name: "Fay Fresh", expired: false, link: expect.stringMatching(/^expires /) });
    expect(byId.get(stale.userId)).toMatchObject({ name: "Stan Stale", expired: true, link: "expired" });
    expect(byId.has(active.id)).toBe(false);
  });

  it("lists people deactivated recently who are still deactivated", async () => {
    const admin = await makeUser(["ADMIN"]);
    const gone = await makeUser(["TRAINER"], { name: "Gil Gone" });
    const back = await makeUser(["TRAINER"], { name: "Bea Back" });
    await setUserActive(getDb(), { userId: gone.id, active: false, by: admin.id });
    await setUserActive(getDb(), { userId: back.id, active: false, by: admin.id });
    await setUserActive(getDb(), { userId: back.id, active: true, by: admin.id });

    const ids = (await overview(admin.id)).deactivated.people.map((p) => p.id);
    expect(ids).toContain(gone.id);
    expect(ids).not.toContain(back.id);
    // Outside the window: nobody.
    const later = await recentlyDeactivated(getDb(), { since: new Date(Date.now() + 60_000) });
    expect(later.people.map((p) => p.id)).not.toContain(gone.id);
  });

  it("lists cohorts with active trainees who have no supervisor, or a deactivated one", async () => {
    const db = getDb();
    const admin = await makeUser(["ADMIN"]);
    const trainer = await makeUser(["TRAINER"]);
    const leaving = await makeUser(["TRAINER"]);
    const [supervised, alone, orphaned, deactivated] = await Promise.all([
      makeUser(["TRAINEE"]),
      makeUser(["TRAINEE"]),
      makeUser(["TRAINEE"]),
      makeUser(["TRAINEE"]),
    ]);
    const make = async (name: string) => {
      const c = await createCohort(db, { name, startsOn: new Date("2027-01-11"), endsOn: null, by: admin.id });
      if (!c.ok) throw new Error("could not create cohort");
      return c.id;
    };
    const fine = await make(`All supervised ${Math.random()}`);
    const gaps = await make(`Gaps ${Math.random()}`);
    const add = async (cohortId: string, userId: string, role: "TRAINEE" | "TRAINER", supervisorId: string | null = null) => {
      const r = await addCohortMember(db, { cohortId, userId, role, supervisorId, by: admin.id });
      if (!r.ok) throw new Error(r.error);
    };
    await add(fine, trainer.id, "TRAINER");
    await add(fine, supervised.id, "TRAINEE", trainer.id);
    await add(gaps, trainer.id, "TRAINER");
    await add(gaps, leaving.id, "TRAINER");
    await add(gaps, supervised.id, "TRAINEE", trainer.id);
    await add(gaps, alone.id, "TRAINEE");
    await add(gaps, orphaned.id, "TRAINEE", leaving.id);
    await add(gaps, deactivated.id, "TRAINEE");
    await setUserActive(db, { userId: leaving.id, active: false, by: admin.id });
    await setUserActive(db, { userId: deactivated.id, active: false, by: admin.id });

    const { unsupervised } = await overview(admin.id);
    expect(unsupervised.cohorts.find((c) => c.id === gaps)).toMatchObject({ trainees: 2 });
    expect(unsupervised.cohorts.find((c) => c.id === fine)).toBeUndefined();
  });
});
