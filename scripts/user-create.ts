// Creates an active account, e.g. the first ADMIN in production:
//   npm run user:create -- --email you@example.org --name "Your Name" --role ADMIN [--role TRAINER]
// Asks for the password on the terminal (not echoed); with no terminal, reads
// it from the first line of standard input.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { z } from "zod";
import { createPrisma } from "#app/db.server";
import { EmailSchema, NameSchema, PasswordSchema, RolesSchema } from "#app/domain/account-rules";
import { env } from "#app/env.server";
import { createActiveUser } from "#app/models/user.server";

function readPassword(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    if (process.stdin.isTTY) {
      const out = rl as unknown as { _writeToOutput: (s: string) => void };
      process.stdout.write(prompt);
      out._writeToOutput = () => {};
    }
    rl.once("line", (line) => {
      rl.close();
      if (process.stdin.isTTY) process.stdout.write("\n");
      resolve(line);
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", multiple: true } },
  });
  const parsed = z.object({ email: EmailSchema, name: NameSchema, roles: RolesSchema }).safeParse({
    email: values.email,
    name: values.name ?? values.email?.split("@")[0],
    roles: values.role ?? [],
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`--${issue.path[0] === "roles" ? "role" : String(issue.path[0])}: ${issue.message}`);
    console.error('usage: npm run user:create -- --email you@example.org --name "Your Name" --role ADMIN');
    process.exit(1);
  }
  const password = await readPassword("Password (at least 12 characters): ");
  const pw = PasswordSchema.safeParse(password);
  if (!pw.success) {
    console.error(`password: ${pw.error.issues[0]?.message}`);
    process.exit(1);
  }
  const settings = env();
  const db = createPrisma(settings.DATABASE_URL);
  try {
    const r = await createActiveUser(db, { ...parsed.data, password: pw.data });
    if (!r.ok) {
      console.error(`An account for ${parsed.data.email} already exists.`);
      process.exit(1);
    }
    console.log(`Created ${parsed.data.email} (${parsed.data.roles.join(", ")}).`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
