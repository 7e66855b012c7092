// The bitstring status lists: random unique allocation inside the caller's transaction (collisions retried,
// concurrent allocations never share an index, a rollback frees them), setting and clearing bits, and the signed
// list credential kept until the list changes.
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { describe, expect, it } from "vitest";
import { getDb } from "#app/db.server";
import {
  allocateStatusIndexes,
  STATUS_LIST_LENGTH,
  StatusListError,
  setIndexes,
  setStatus,
  statusListCredential,
} from "#app/models/status-list.server";
import { action as statusAction, loader as statusLoader } from "#app/routes/api.v1.status-lists.$purpose";
import { callLoader } from "../support/app";

const db = () => getDb();
const allocate = (pick?: (length: number) => number) => db().$transaction((tx) => allocateStatusIndexes(tx, { pick }));
const entries = (purpose: string) => db().statusListEntry.findMany({ where: { purpose }, select: { index: true } });

describe("allocating indexes", () => {
  it("gives one random index in each list of 131,072", async () => {
    const a = await allocate();
    for (const index of [a.revocationIndex, a.suspensionIndex]) {
      expect(Number.isInteger(index) && index >= 0 && index < STATUS_LIST_LENGTH).toBe(true);
    }
    const lists = await db().statusList.findMany({ orderBy: { purpose: "asc" } });
    expect(lists.map((l) => [l.purpose, l.length])).toEqual([
      ["revocation", 131_072],
      ["suspension", 131_072],
    ]);
  });

  it("tries another index when the first one is taken, without spoiling the caller's transaction", async () => {
    const taken = await allocate(() => 1000);
    expect(taken).toEqual({ revocationIndex: 1000, suspensionIndex: 1000 });
    const tries = [1000, 1001, 1000, 1000, 1002];
    const next = await db().$transaction(async (tx) => {
      const indexes = await allocateStatusIndexes(tx, { pick: () => tries.shift() as number });
      // The transaction still works after the collisions (on PostgreSQL a failed INSERT would have aborted it).
      await tx.statusList.findMany();
      return indexes;
    });
    expect(next).toEqual({ revocationIndex: 1001, suspensionIndex: 1002 });
  });

  it("gives up with a clear error when no free index turns up", async () => {
    await allocate(() => 2000);
    await expect(allocate(() => 2000)).rejects.toThrow(StatusListError);
    await expect(allocate(() => STATUS_LIST_LENGTH)).rejects.toThrow(/outside the list/);
  });

  it("frees the indexes of a transaction that rolls back", async () => {
    await expect(
      db().$transaction(async (tx) => {
        await allocateStatusIndexes(tx, { pick: () => 3000 });
        throw new Error("issuing failed");
      }),
    ).rejects.toThrow("issuing failed");
    expect((await entries("revocation")).some((e) => e.index === 3000)).toBe(false);
    expect(await allocate(() => 3000)).toEqual({ revocationIndex: 3000, suspensionIndex: 3000 });
  });

  it("never hands the same index to concurrent transactions, even when their picks collide all the time", async () => {
    // 12 transactions at once, every pick from the same 16 indexes: most picks collide, several concurrently.
    const range = 5000;
    const results = await Promise.all(Array.from({ length: 12 }, () => allocate(() => range + Math.floor(Math.random() * 16))));
    const revocation = results.map((r) => r.revocationIndex);
    const suspension = results.map((r) => r.suspensionIndex);
    expect(new Set(revocation).size).toBe(12);
    expect(new Set(suspension).size).toBe(12);
    const stored = (await entries("revocation")).map((e) => e.index).filter((i) => i >= range && i < range + 16);
    expect(stored.sort()).toEqual([...revocation].sort());
  });
});

describe("setting bits", () => {
  it("sets and clears a bit, moves the version only on a change, and refuses an index never allocated", async () => {
    const { revocationIndex } = await allocate();
    const version = async () => (await db().statusList.findUniqueOrThrow({ where: { purpose: "revocation" } })).version;
    const v0 = await version();
    expect(await setStatus("revocation", revocationIndex, true)).toBe(true);
    expect(await version()).toBe(v0 + 1);
    expect(await setStatus("revocation", revocationIndex, true)).toBe(false);
    expect(await version()).toBe(v0 + 1);
    expect(await setIndexes("revocation")).toContain(revocationIndex);
    expect(await setStatus("revocation", revocationIndex, false)).toBe(true);
    expect(await setIndexes("revocation")).not.toContain(revocationIndex);
    await expect(setStatus("revocation", 131_071, true)).rejects.toThrow(/not allocated/);
  });

  it("joins the caller's transaction: a rollback leaves the bit as it was", async () => {
    const { suspensionIndex } = await allocate();
    await expect(
      db().$transaction(async (tx) => {
        await setStatus("suspension", suspensionIndex, true, tx);
        throw new Error("audit failed");
      }),
    ).rejects.toThrow("audit failed");
    expect(await setIndexes("suspension")).not.toContain(suspensionIndex);
  });
});

describe("the signed list", () => {
  it("is signed once per change: served from the stored copy until a bit changes", async () => {
    const { suspensionIndex } = await allocate();
    const first = await statusListCredential("suspension");
    const again = await statusListCredential("suspension");
    expect(again).toEqual(first);
    const row = await db().statusList.findUniqueOrThrow({ where: { purpose: "suspension" } });
    expect(row.signedVersion).toBe(row.version);
    expect(row.encodedList).toBe(first.credentialSubject.encodedList);

    await setStatus("suspension", suspensionIndex, true);
    const changed = await statusListCredential("suspension");
    expect(changed.proof).not.toEqual(first.proof);
    expect((await decodeList({ encodedList: changed.credentialSubject.encodedList })).getStatus(suspensionIndex)).toBe(true);
    expect((await decodeList({ encodedList: first.credentialSubject.encodedList })).getStatus(suspensionIndex)).toBe(false);
  });

  it("carries every set bit and only those, in 131,072 entries", async () => {
    const indexes = await Promise.all(Array.from({ length: 5 }, () => allocate()));
    for (const { revocationIndex } of indexes.slice(0, 3)) await setStatus("revocation", revocationIndex, true);
    const list = await decodeList({ encodedList: (await statusListCredential("revocation")).credentialSubject.encodedList });
    expect(list.length).toBe(131_072);
    const set = await setIndexes("revocation");
    for (const { revocationIndex } of indexes) expect(list.getStatus(revocationIndex)).toBe(set.includes(revocationIndex));
    let count = 0;
    for (let i = 0; i < list.length; i++) if (list.getStatus(i)) count++;
    expect(count).toBe(set.length);
  });

  it("is served as application/vc+ld+json, briefly cacheable, readable from any origin; other purposes are 404 {error}", async () => {
    const out = await callLoader(statusLoader, { path: "/api/v1/status-lists/suspension", params: { purpose: "suspension" } });
    expect(out.status).toBe(200);
    expect(out.headers.get("Content-Type")).toBe("application/vc+ld+json");
    expect(out.headers.get("Cache-Control")).toBe("public, max-age=60");
    expect(out.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(out.data).toMatchObject({
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      credentialSubject: { statusPurpose: "suspension" },
    });
    const unknown = await callLoader(statusLoader, { path: "/api/v1/status-lists/other", params: { purpose: "other" } });
    expect(unknown.status).toBe(404);
    expect(unknown.data).toEqual({ error: expect.any(String) });
    // A refusal is the API's: never cached, readable from any origin.
    expect(unknown.headers.get("Cache-Control")).toBe("no-store");
    expect(unknown.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("answers GET and HEAD only: other methods get the API's 405 JSON with Allow", async () => {
    const options = await callLoader((args) => statusLoader({ ...args, request: new Request(args.request.url, { method: "OPTIONS" }) }), {
      path: "/api/v1/status-lists/revocation",
      params: { purpose: "revocation" },
    });
    expect(options.status).toBe(405);
    expect(options.data).toEqual({ error: "Method OPTIONS is not allowed here; use GET." });
    for (const method of ["POST", "PUT", "DELETE"]) {
      const request = new Request("http://localhost/api/v1/status-lists/revocation", { method });
      const response = await statusAction({ request, params: { purpose: "revocation" }, context: {} } as never);
      expect(response.status, method).toBe(405);
      expect(response.headers.get("Allow")).toBe("GET, HEAD");
      expect(await response.json()).toEqual({ error: `Method ${method} is not allowed here; use GET.` });
    }
  });
});
