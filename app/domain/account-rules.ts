import { z } from "zod";
import { ROLES } from "#app/domain/roles";

/** Passphrases: long beats complex (NCSC/NIST guidance); no composition rules. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const PasswordSchema = z
  .string({ error: "Enter a password" })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

export const EmailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254, "That email address is too long"));

export const NameSchema = z.string({ error: "Enter a name" }).trim().min(1, "Enter a name").max(120, "Use at most 120 characters");

export const RolesSchema = z.array(z.enum(ROLES)).min(1, "Choose at least one role");

/** New password typed twice, as on the invitation, reset and change forms. */
export const NewPasswordSchema = z
  .object({ password: PasswordSchema, confirm: z.string({ error: "Repeat the password" }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ" });
