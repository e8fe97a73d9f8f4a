#!/usr/bin/env bash
# A clinic visit by hand against a running `pnpm start` (router on :4000): reception registers a walk-in,
# the doctor starts the visit and orders a blood test, the examiner performs it, the doctor reviews it,
# writes and signs the note and finishes; reception confirms; the clinic board and the patient card show it.
set -euo pipefail
R=${ROUTER:-http://127.0.0.1:4000/graphql}
q() { curl -s "$R" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
field() { node -pe "const r = JSON.parse(require('fs').readFileSync(0)); if (r.errors) { console.error(JSON.stringify(r.errors)); process.exit(1) } r.data.$1"; }
login() { q "{\"query\":\"mutation { login(email: \\\"$1\\\", password: \\\"$2\\\") { accessToken } }\"}" | field login.accessToken; }
DEMO=Clinigraph-demo-1
RECEPTION=$(login reception@clinigraph.demo $DEMO)
DOCTOR=$(login dr.hart@clinigraph.demo $DEMO)
EXAMINER=$(login examiner@clinigraph.demo $DEMO)
PATIENT=$(login patient03@clinigraph.demo $DEMO)
PATIENT_ID=$(q '{"query":"{ me { id } }"}' "$PATIENT" | field me.id)
DOCTOR_ID=$(q '{"query":"{ doctors(first: 50) { edges { node { id name } } } }"}' | field 'doctors.edges.find((e) => /Hart/.test(e.node.name)).node.id')
LAB=$(q '{"query":"{ medicalServices(kind: LAB_TEST) { id code } }"}' | field 'medicalServices.find((s) => s.code === "LAB_BLOOD").id')

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
