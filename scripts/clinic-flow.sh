#!/usr/bin/env bash
# A clinic visit by hand against a running `pnpm start` (router on :4000): reception registers a walk-in,
# the doctor starts the visit and orders a blood test, the examiner performs it, the doctor reviews it,
# writes and signs the note and finishes; reception confirms; the clinic board and the patient card show it.
# Then billing: prices set by the billing desk, the visit's invoice issued at the confirmation, a part paid at the
# desk, the rest online with the local test provider (its checkout page confirmed), the invoice's PDF downloaded.
# Last, paying ahead: the patient prepays an appointment online, cancels it, and the prepayment is refunded.
set -euo pipefail
R=${ROUTER:-http://127.0.0.1:4000/graphql}
q() { curl -s "$R" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
field() { node -pe "const r = JSON.parse(require('fs').readFileSync(0)); if (r.errors) { console.error(JSON.stringify(r.errors)); process.exit(1) } r.data.$1"; }
login() { q "{\"query\":\"mutation { login(email: \\\"$1\\\", password: \\\"$2\\\") { accessToken } }\"}" | field login.accessToken; }
DEMO=Clinigraph-demo-1
RECEPTION=$(login reception@clinigraph.demo $DEMO)
DOCTOR=$(login dr.hart@clinigraph.demo $DEMO)
EXAMINER=$(login examiner@clinigraph.demo $DEMO)
BILLING=$(login billing@clinigraph.demo $DEMO)
PATIENT=$(login patient03@clinigraph.demo $DEMO)
PATIENT_ID=$(q '{"query":"{ me { id } }"}' "$PATIENT" | field me.id)
DOCTOR_ID=$(q '{"query":"{ doctors(first: 50) { edges { node { id name } } } }"}' | field 'doctors.edges.find((e) => /Hart/.test(e.node.name)).node.id')
LAB=$(q '{"query":"{ medicalServices(kind: LAB_TEST) { id code } }"}' | field 'medicalServices.find((s) => s.code === "LAB_BLOOD").id')

CONSULT=$(q "{\"query\":\"{ doctor(id: \\\"$DOCTOR_ID\\\") { services { id kind } } }\"}" | field 'doctor.services.filter((s) => ["CONSULTATION", "CHECKUP"].includes(s.kind)).sort((a, b) => (b.kind === "CONSULTATION") - (a.kind === "CONSULTATION"))[0].id')
echo "0. the billing desk prices the doctor's visit (a check-up for this GP, 80.00 EUR) and the blood test (25.50 EUR + 19 % tax)"
for P in "$CONSULT 8000 0" "$LAB 2550 1900"; do
  read -r SID AMOUNT TAX <<<"$P"
  q "{\"query\":\"mutation { setServicePrice(serviceId: \\\"$SID\\\", price: { amountMinor: $AMOUNT, currency: \\\"EUR\\\" }, taxRateBp: $TAX) { id price { amountMinor currency } taxRateBp } }\"}" "$BILLING"; echo
done

echo "1. reception registers the walk-in"
ENC=$(q "{\"query\":\"mutation { registerWalkIn(patientId: \\\"$PATIENT_ID\\\", doctorId: \\\"$DOCTOR_ID\\\") { id } }\"}" "$RECEPTION" | field registerWalkIn.id)
echo "2. on the doctor's list:"; q '{"query":"{ encounters { id status patient { name } allowedTransitions } }"}' "$DOCTOR"; echo
echo "3. the doctor starts, writes a draft and orders a blood test"
q "{\"query\":\"mutation { startEncounter(id: \\\"$ENC\\\") { status } }\"}" "$DOCTOR" > /dev/null
NOTE=$(q "{\"query\":\"mutation { saveRecordDraft(encounterId: \\\"$ENC\\\", input: { complaints: \\\"Tired for weeks\\\", diagnosisCode: \\\"R53.8\\\", diagnosis: \\\"Fatigue\\\" }) { id } }\"}" "$DOCTOR" | field saveRecordDraft.id)
EXAM=$(q "{\"query\":\"mutation { orderExamination(encounterId: \\\"$ENC\\\", serviceId: \\\"$LAB\\\") { id } }\"}" "$DOCTOR" | field orderExamination.id)
sleep 1 # the examiners' worklist is a read model of the events
echo "4-5. the examiner's worklist, then the result:"; q '{"query":"{ examinationWorklist { id status patient { id } } }"}' "$EXAMINER"; echo
q "{\"query\":\"mutation { performExamination(id: \\\"$EXAM\\\", result: \\\"Ferritin 9 ng/mL\\\") { status } }\"}" "$EXAMINER"; echo
echo "6-7. the doctor reviews, signs and finishes"
q "{\"query\":\"mutation { reviewExamination(id: \\\"$EXAM\\\") { status } }\"}" "$DOCTOR" > /dev/null
q "{\"query\":\"mutation { signRecord(id: \\\"$NOTE\\\") { status version } }\"}" "$DOCTOR"; echo
q "{\"query\":\"mutation { finishEncounter(id: \\\"$ENC\\\", summary: \\\"Iron deficiency; supplements\\\") { status } }\"}" "$DOCTOR"; echo
sleep 1
echo "8. reception confirms; the clinic board:"
q "{\"query\":\"mutation { confirmVisitOutcome(encounterId: \\\"$ENC\\\") { status outcomeConfirmedAt } }\"}" "$RECEPTION"; echo
q '{"query":"{ clinicBoard { state minutesInState patient { name } doctor { name } } }"}' "$RECEPTION"; echo
echo "the patient's card:"
q "{\"query\":\"{ patientCard(patientId: \\\"$PATIENT_ID\\\") { records { status diagnosisCode diagnosis } examinations { status result } } }\"}" "$PATIENT"; echo
sleep 1 # billing issues the invoice from the confirmation's event
echo "9. the patient's invoice:"
INVOICE=$(q "{\"query\":\"{ encounter(id: \\\"$ENC\\\") { invoice { id } } }\"}" "$PATIENT" | field encounter.invoice.id)
q "{\"query\":\"{ invoice(id: \\\"$INVOICE\\\") { number status lines { description quantity unitPrice { amountMinor } tax { amountMinor } total { amountMinor } } total { amountMinor currency } balance { amountMinor } } }\"}" "$PATIENT"; echo
echo "10. reception takes 50.00 EUR by card (the same key twice is one payment)"
for _ in 1 2; do q "{\"query\":\"mutation { recordPayment(invoiceId: \\\"$INVOICE\\\", amount: { amountMinor: 5000, currency: \\\"EUR\\\" }, method: CARD, idempotencyKey: \\\"desk-$ENC\\\") { id amount { amountMinor } } }\"}" "$RECEPTION"; echo; done
echo "11. the patient pays the rest online (local test provider: no money moves) and confirms on its checkout page"
CHECKOUT=$(q "{\"query\":\"mutation { payInvoice(invoiceId: \\\"$INVOICE\\\", idempotencyKey: \\\"online-$ENC\\\") { checkoutUrl } }\"}" "$PATIENT" | field payInvoice.checkoutUrl)
echo "   checkout page: $CHECKOUT"
curl -s -X POST "$CHECKOUT/confirm" | sed -e 's/<[^>]*>//g' | grep -v '^\s*$'
q "{\"query\":\"{ invoice(id: \\\"$INVOICE\\\") { number status paid { amountMinor } balance { amountMinor } payments { method amount { amountMinor } } } }\"}" "$PATIENT"; echo
echo "12. the invoice as a PDF, through the router:"
q "{\"query\":\"{ invoicePdf(id: \\\"$INVOICE\\\") { filename base64 } }\"}" "$PATIENT" | node -e '
  const r = JSON.parse(require("fs").readFileSync(0)).data.invoicePdf; require("fs").writeFileSync(r.filename, Buffer.from(r.base64, "base64")); console.log("   wrote " + r.filename)'

echo "13. the patient books Dr. Hart's next free slot and pays it ahead online; then cancels, and the prepayment goes back"
FROM=$(node -pe 'new Date().toISOString()'); TO=$(node -pe 'new Date(Date.now() + 14 * 864e5).toISOString()')
SLOT=$(q "{\"query\":\"{ availableSlots(filter: { doctorId: \\\"$DOCTOR_ID\\\", from: \\\"$FROM\\\", to: \\\"$TO\\\" }, first: 1) { id startsAt } }\"}" "$PATIENT" | field 'availableSlots[0].id')
APPT=$(q "{\"query\":\"mutation { requestAppointment(input: { slotId: \\\"$SLOT\\\" }) { ... on Appointment { id status startsAt } } }\"}" "$PATIENT" | field requestAppointment.id)
sleep 1 # billing learns of the appointment from its event
PREPAY=$(q "{\"query\":\"mutation { prepayAppointment(appointmentId: \\\"$APPT\\\", idempotencyKey: \\\"prepay-$APPT\\\") { checkoutUrl } }\"}" "$PATIENT" | field prepayAppointment.checkoutUrl)
curl -s -X POST "$PREPAY/confirm" | sed -e 's/<[^>]*>//g' | grep -v '^\s*$'
q '{"query":"{ myBillingAccount { credit { amountMinor } prepaid { amountMinor currency } outstanding { amountMinor } } }"}' "$PATIENT"; echo
q "{\"query\":\"mutation { cancelAppointment(id: \\\"$APPT\\\") { status } }\"}" "$PATIENT"; echo
sleep 1 # billing refunds from the cancellation's event
q "{\"query\":\"{ appointment(id: \\\"$APPT\\\") { status prepayment { method amount { amountMinor } refunded { amountMinor } creditLeft { amountMinor } } } }\"}" "$PATIENT"; echo
q '{"query":"{ myBillingAccount { credit { amountMinor } prepaid { amountMinor } outstanding { amountMinor } } }"}' "$PATIENT"; echo
