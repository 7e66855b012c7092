-- CreateTable
CREATE TABLE "SignedCredential" (
    "certificateId" TEXT NOT NULL,
    "dataIntegrity" TEXT NOT NULL,
    "jwt" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignedCredential_pkey" PRIMARY KEY ("certificateId")
);

-- AddForeignKey
ALTER TABLE "SignedCredential" ADD CONSTRAINT "SignedCredential_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
