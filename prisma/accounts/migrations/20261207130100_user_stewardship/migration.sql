-- Deactivation of users by an ADMIN (sign-in refused, sessions ended; reactivation lets them sign in again).
ALTER TABLE "accounts"."users" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "deactivation_reason" TEXT;

-- A pending change of a user's e-mail: the new address sealed and blind-indexed, the code sent to it as a hash.
CREATE TABLE "accounts"."email_changes" (
    "user_id" UUID NOT NULL,
    "new_email_hash" TEXT NOT NULL,
    "new_email_enc" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_changes_pkey" PRIMARY KEY ("user_id")
);

-- AddForeignKey
ALTER TABLE "accounts"."email_changes" ADD CONSTRAINT "email_changes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "accounts"."users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
