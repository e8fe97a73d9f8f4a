-- Hand-written: the reference catalogue every installation starts with (specialties and medical
-- services). Fixed ids so other subgraphs' seeds, price lists and tests can refer to them, and
-- re-running is harmless (ON CONFLICT DO NOTHING). Later changes to the catalogue go in new migrations.
-- Note: the migration runner splits scripts on semicolons, so none may appear in comments or strings.

-- Specialties
INSERT INTO "doctors"."specialties" ("id", "code", "name") VALUES
    ('d0c5ec00-0000-4000-8000-000000000001', 'GP',    'General practice'),
    ('d0c5ec00-0000-4000-8000-000000000002', 'CARD',  'Cardiology'),
    ('d0c5ec00-0000-4000-8000-000000000003', 'DERM',  'Dermatology'),
    ('d0c5ec00-0000-4000-8000-000000000004', 'OBGYN', 'Obstetrics & gynaecology'),
    ('d0c5ec00-0000-4000-8000-000000000005', 'RAD',   'Radiology'),
    ('d0c5ec00-0000-4000-8000-000000000006', 'PED',   'Pediatrics'),
    ('d0c5ec00-0000-4000-8000-000000000007', 'NEURO', 'Neurology'),
    ('d0c5ec00-0000-4000-8000-000000000008', 'ORTHO', 'Orthopaedics'),
    ('d0c5ec00-0000-4000-8000-000000000009', 'SURG',  'General surgery'),
    ('d0c5ec00-0000-4000-8000-00000000000a', 'OPHTH', 'Ophthalmology'),
    ('d0c5ec00-0000-4000-8000-00000000000b', 'ENT',   'Otorhinolaryngology (ENT)'),
    ('d0c5ec00-0000-4000-8000-00000000000c', 'LAB',   'Laboratory medicine')
ON CONFLICT DO NOTHING;

-- Medical services (duration in minutes: the default slot length when booked)
INSERT INTO "doctors"."medical_services" ("id", "code", "name", "kind", "duration_minutes") VALUES
    ('d0c5e700-0000-4000-8000-000000000001', 'GENERAL_CHECKUP',      'General check-up',                      'CHECKUP',      30),
    ('d0c5e700-0000-4000-8000-000000000002', 'SPECIALIST_CONSULT',   'Specialist consultation',               'CONSULTATION', 30),
    ('d0c5e700-0000-4000-8000-000000000003', 'GP_CONSULT',           'General practitioner consultation',     'CONSULTATION', 15),
    ('d0c5e700-0000-4000-8000-000000000004', 'FOLLOW_UP_CONSULT',    'Follow-up consultation',                'CONSULTATION', 15),
    ('d0c5e700-0000-4000-8000-000000000005', 'PRENATAL_CHECKUP',     'Prenatal check-up',                     'CHECKUP',      30),
    ('d0c5e700-0000-4000-8000-000000000006', 'WELL_CHILD_CHECKUP',   'Well-child check-up',                   'CHECKUP',      30),
    ('d0c5e700-0000-4000-8000-000000000007', 'LAB_BLOOD',            'Blood test (complete blood count)',     'LAB_TEST',     10),
    ('d0c5e700-0000-4000-8000-000000000008', 'LAB_URINE',            'Urine test (urinalysis)',               'LAB_TEST',     10),
    ('d0c5e700-0000-4000-8000-000000000009', 'LAB_LIPID_PANEL',      'Lipid panel',                           'LAB_TEST',     10),
    ('d0c5e700-0000-4000-8000-00000000000a', 'IMG_XRAY',             'X-ray',                                 'IMAGING',      15),
    ('d0c5e700-0000-4000-8000-00000000000b', 'IMG_ULTRASOUND',       'Ultrasound',                            'IMAGING',      30),
    ('d0c5e700-0000-4000-8000-00000000000c', 'IMG_CT',               'CT scan',                               'IMAGING',      30),
    ('d0c5e700-0000-4000-8000-00000000000d', 'IMG_MRI',              'MRI scan',                              'IMAGING',      45),
    ('d0c5e700-0000-4000-8000-00000000000e', 'PROC_ECG',             'Electrocardiogram (ECG)',               'PROCEDURE',    15),
    ('d0c5e700-0000-4000-8000-00000000000f', 'PROC_VACCINATION',     'Vaccination',                           'PROCEDURE',    10),
    ('d0c5e700-0000-4000-8000-000000000010', 'PROC_SKIN_BIOPSY',     'Skin biopsy',                           'PROCEDURE',    30),
    ('d0c5e700-0000-4000-8000-000000000011', 'OP_CSECTION',          'Caesarean section',                     'OPERATION',    90),
    ('d0c5e700-0000-4000-8000-000000000012', 'OP_APPENDECTOMY',      'Appendectomy',                          'OPERATION',    60),
    ('d0c5e700-0000-4000-8000-000000000013', 'OP_CATARACT',          'Cataract surgery',                      'OPERATION',    45)
ON CONFLICT DO NOTHING;
