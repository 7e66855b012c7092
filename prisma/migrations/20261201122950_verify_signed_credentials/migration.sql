-- CreateTable
CREATE TABLE "SignedCredential" (
    "certificateId" TEXT NOT NULL PRIMARY KEY,
    "dataIntegrity" TEXT NOT NULL,
    "jwt" TEXT NOT NULL,
    "signedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SignedCredential_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
