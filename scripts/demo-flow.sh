#!/usr/bin/env bash
# The booking flow by hand against a running `pnpm start` (router on :4000).
set -euo pipefail
R=${ROUTER:-http://127.0.0.1:4000/graphql}
q() { curl -s "$R" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
ADMIN=$(q '{"query":"mutation { login(email: \"admin@clinigraph.demo\", password: \"Clinigraph-admin-1\") { accessToken } }"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.login.accessToken')
N=$RANDOM
DOC=$(q "{\"query\":\"mutation { createDoctor(input: { email: \\\"dr.new$N@clinigraph.demo\\\", password: \\\"Doctor-password-1\\\", name: \\\"Dr. New $N\\\", specialtyCode: \\\"DERM\\\", timezone: \\\"Europe/Berlin\\\", serviceCodes: [\\\"SPECIALIST_CONSULT\\\"] }) { id } }\"}" "$ADMIN" | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.createDoctor.id')
q "{\"query\":\"mutation { setWeeklySchedule(doctorId: \\\"$DOC\\\", rules: [{ dayOfWeek: MONDAY, startTime: \\\"09:00\\\", endTime: \\\"12:00\\\", slotMinutes: 30 }]) { weeklySchedule { dayOfWeek startTime endTime } } }\"}" "$ADMIN"; echo
# A patient registers: the code sent to the address (read from pnpm start's MailDev inbox), then the account.
EMAIL="new.patient$N@example.test"
q "{\"query\":\"mutation { requestRegistrationCode(email: \\\"$EMAIL\\\") }\"}"; echo
CODE=$(curl -s "${MAIL_INBOX:-http://127.0.0.1:1080}/api/email" | EMAIL="$EMAIL" node -pe 'const mails = JSON.parse(require("fs").readFileSync(0)).filter((m) => m.to.some((t) => t.address === process.env.EMAIL)); /code: (\d{6})/.exec(mails.at(-1).subject)[1]')
PAT=$(q "{\"query\":\"mutation { registerPatient(input: { email: \\\"$EMAIL\\\", password: \\\"Patient-password-1\\\", name: \\\"New Patient\\\", verificationCode: \\\"$CODE\\\" }) { accessToken } }\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.registerPatient.accessToken')
q '{"query":"{ doctors(filter: { specialty: \"DERM\" }) { edges { node { name user { email } } } } }"}' "$PAT"; echo
