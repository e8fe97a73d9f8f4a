#!/usr/bin/env bash
# The booking flow by hand against a running `pnpm start` (router on :4000).
set -euo pipefail
R=${ROUTER:-http://127.0.0.1:4000/graphql}
q() { curl -s "$R" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
ADMIN=$(q '{"query":"mutation { login(email: \"admin@clinigraph.demo\", password: \"Clinigraph-admin-1\") { accessToken } }"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.login.accessToken')
N=$RANDOM
DOC=$(q "{\"query\":\"mutation { createDoctor(input: { email: \\\"dr.new$N@clinigraph.demo\\\", password: \\\"Doctor-password-1\\\", name: \\\"Dr. New $N\\\", specialtyCode: \\\"DERM\\\", timezone: \\\"Europe/Berlin\\\", serviceCodes: [\\\"SPECIALIST_CONSULT\\\"], autoApprove: false }) { id } }\"}" "$ADMIN" | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.createDoctor.id')
q "{\"query\":\"mutation { setWeeklySchedule(doctorId: \\\"$DOC\\\", rules: [{ dayOfWeek: MONDAY, startTime: \\\"09:00\\\", endTime: \\\"12:00\\\", slotMinutes: 30 }]) { weeklySchedule { dayOfWeek startTime endTime } } }\"}" "$ADMIN"; echo
# A patient registers: the code sent to the address (read from pnpm start's MailDev inbox), then the account.
EMAIL="new.patient$N@example.test"
q "{\"query\":\"mutation { requestRegistrationCode(email: \\\"$EMAIL\\\") }\"}"; echo
CODE=$(curl -s "${MAIL_INBOX:-http://127.0.0.1:1080}/api/email" | EMAIL="$EMAIL" node -pe 'const mails = JSON.parse(require("fs").readFileSync(0)).filter((m) => m.to.some((t) => t.address === process.env.EMAIL)); /code: (\d{6})/.exec(mails.at(-1).subject)[1]')
PAT=$(q "{\"query\":\"mutation { registerPatient(input: { email: \\\"$EMAIL\\\", password: \\\"Patient-password-1\\\", name: \\\"New Patient\\\", verificationCode: \\\"$CODE\\\" }) { accessToken } }\"}" | node -pe 'JSON.parse(require("fs").readFileSync(0)).data.registerPatient.accessToken')
q '{"query":"{ doctors(filter: { specialty: \"DERM\" }) { edges { node { name user { email } } } } }"}' "$PAT"; echo
# Notifications: the patient reads French; a request (the doctor is asked), approval, reschedule, a rejection with
# other times offered, a cancellation. Each step's e-mail lands in the MailDev inbox (listed at the end).
j() { node -pe "const d = JSON.parse(require('fs').readFileSync(0)); if (d.errors) { console.error(JSON.stringify(d.errors)); process.exit(1) } $1"; }
q '{"query":"mutation { updateNotificationPreferences(input: { language: \"fr\" }) { language } }"}' "$PAT"; echo
FROM=$(node -pe 'new Date(Date.now() + 86400000).toISOString()'); TO=$(node -pe 'new Date(Date.now() + 40 * 86400000).toISOString()')
# Two times on one day (request, then move), and one on another day (one appointment per doctor and day).
SLOTS=$(q "{\"query\":\"{ availableSlots(filter: { doctorId: \\\"$DOC\\\", from: \\\"$FROM\\\", to: \\\"$TO\\\" }, first: 20) { id startsAt } }\"}" | j 'const s = d.data.availableSlots, day = (x) => x.startsAt.slice(0, 10); [s[0].id, s[1].id, s.find((x) => day(x) !== day(s[0])).id].join(" ")')
read -r S1 S2 S3 <<<"$SLOTS"
DOCTOK=$(q "{\"query\":\"mutation { login(email: \\\"dr.new$N@clinigraph.demo\\\", password: \\\"Doctor-password-1\\\") { accessToken } }\"}" | j 'd.data.login.accessToken')
APPT=$(q "{\"query\":\"mutation { requestAppointment(input: { slotId: \\\"$S1\\\" }) { ... on Appointment { id status } } }\"}" "$PAT" | j 'd.data.requestAppointment.id')
q "{\"query\":\"mutation { approveAppointment(id: \\\"$APPT\\\") { status } }\"}" "$DOCTOK"; echo
q "{\"query\":\"mutation { rescheduleAppointment(id: \\\"$APPT\\\", slotId: \\\"$S2\\\") { ... on Appointment { startsAt } } }\"}" "$PAT"; echo
OTHER=$(q "{\"query\":\"mutation { requestAppointment(input: { slotId: \\\"$S3\\\" }) { ... on Appointment { id } } }\"}" "$PAT" | j 'd.data.requestAppointment.id')
q "{\"query\":\"mutation { rejectAppointment(id: \\\"$OTHER\\\") { status } }\"}" "$DOCTOK"; echo
q "{\"query\":\"{ appointment(id: \\\"$APPT\\\") { startsAt reminders { offsetMinutes channel dueAt status } } }\"}" "$PAT"; echo
q "{\"query\":\"mutation { cancelAppointment(id: \\\"$APPT\\\") { status } }\"}" "$PAT"; echo
sleep 3 # the scheduler sends within NOTIFICATIONS_POLL_MS (1 s); this only waits for the inbox before listing it
q '{"query":"{ myNotifications(first: 20) { edges { node { kind channel status subject } } } }"}' "$PAT"; echo
curl -s "${MAIL_INBOX:-http://127.0.0.1:1080}/api/email" | PAT_EMAIL="$EMAIL" DOC_EMAIL="dr.new$N@clinigraph.demo" node -e '
  const mails = JSON.parse(require("fs").readFileSync(0));
  for (const m of mails) for (const t of m.to) if (t.address === process.env.PAT_EMAIL || t.address === process.env.DOC_EMAIL) console.log(`${t.address}: ${m.subject}`);'
