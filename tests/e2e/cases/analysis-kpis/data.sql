-- A hand-made store for tests/e2e/cases/analysis-kpis (see the test's
-- comments for what each row is for). Local times in March 2025 are UTC+1
-- until the 30th.
INSERT INTO org_units (source, source_file_id, source_record, unit_id, name, parent_id, type, valid_from, valid_to) VALUES
 ('hand', 1, 1, 'ADM', 'Administration', NULL, 'administration', '2020-01-01', NULL),
 ('hand', 1, 2, 'C1', 'Centre one', 'ADM', 'centre', '2020-01-01', NULL),
 ('hand', 1, 3, 'C2', 'Centre two', 'ADM', 'centre', '2020-01-01', NULL),
 ('hand', 1, 4, 'U1', 'Unit one', 'C1', 'unit', '2020-01-01', NULL),
 ('hand', 1, 5, 'U2', 'Queue unit', 'C1', 'unit', '2020-01-01', NULL),
 ('hand', 1, 6, 'M', 'Mover', 'C1', 'unit', '2020-01-01', '2025-03-15'),
 ('hand', 1, 7, 'M', 'Mover', 'C2', 'unit', '2025-03-16', NULL),
 ('hand', 1, 8, 'Q', 'Busy unit', 'ADM', 'unit', '2020-01-01', NULL);

INSERT INTO number_assignments (source, source_file_id, source_record, number, employee_id, unit_id, kind, valid_from, valid_to) VALUES
 ('hand', 1, 1, '+4530000001', 'E1', 'U1', 'mobile', '2025-01-01', NULL);

CREATE TEMP TABLE c (rec, loc, dur, wait, talk, dir, lnum, rnum, rtype, outcome, xfer, channel, emp, unit, wrap, sa);
INSERT INTO c VALUES
 -- U1: Monday 3 March
 (1, '2025-03-03T10:05:00', 70, 10, 60, 'inbound', '+4533661001', '+4520000001', 'national', 'answered', 0, 'pbx', 'E1', 'U1', NULL, NULL),
 (2, '2025-03-03T10:10:00', 130, 10, 120, 'inbound', '+4533661001', '+4520000002', 'national', 'answered', 1, 'pbx', 'E1', 'U1', NULL, NULL),
 (3, '2025-03-03T10:20:00', 190, 10, 180, 'inbound', '+4530000001', '+4520000003', 'mobile', 'answered', 0, 'mobile', 'E1', 'U1', NULL, NULL),
 (4, '2025-03-03T10:40:00', 250, 10, 240, 'inbound', '+4533661002', '+4520000004', 'national', 'answered', 1, 'pbx', 'E2', 'U1', NULL, NULL),
 (5, '2025-03-03T11:05:00', 20, 20, 0, 'inbound', '+4533661002', '+4520000005', 'national', 'missed', 0, 'pbx', 'E2', 'U1', NULL, NULL),
 (6, '2025-03-03T11:30:00', 0, 0, 0, 'inbound', '+4533661000', '+4520000006', 'national', 'busy', 0, 'pbx', NULL, 'U1', NULL, NULL),
 -- U1: Tuesday 4 March (caller +4520000001 again, within 7 days)
 (7, '2025-03-04T09:00:00', 25, 25, 0, 'inbound', '+4533661001', '+4520000001', 'national', 'missed', 0, 'pbx', 'E1', 'U1', NULL, NULL),
 (8, '2025-03-04T09:30:00', 310, 10, 300, 'inbound', '+4530000001', '+4520000007', 'mobile', 'answered', 0, 'mobile', 'E1', 'U1', NULL, NULL),
 (9, '2025-03-04T12:10:00', 310, 10, 300, 'inbound', '+4533661002', '+4520000008', 'national', 'answered', 0, 'pbx', 'E2', 'U1', NULL, NULL),
 (10, '2025-03-04T13:00:00', 40, 20, 20, 'inbound', '+4533661000', 'hidden', 'hidden', 'voicemail', 0, 'pbx', NULL, 'U1', NULL, NULL),
 -- U1: outbound and internal
 (11, '2025-03-03T14:00:00', 60, 5, 55, 'outbound', '+4530000001', '+4529999991', 'national', 'answered', 0, 'mobile', 'E1', 'U1', NULL, NULL),
 (12, '2025-03-05T14:00:00', 60, 5, 55, 'outbound', '+4533661002', '+4529999992', 'national', 'answered', 0, 'pbx', 'E2', 'U1', NULL, NULL),
 (13, '2025-03-06T14:00:00', 0, 0, 0, 'outbound', '+4533661002', '+4529999993', 'national', 'missed', 0, 'pbx', 'E2', 'U1', NULL, NULL),
 (14, '2025-03-06T15:00:00', 30, 5, 25, 'internal', '+4533661002', '+4533661001', 'internal', 'answered', 0, 'pbx', 'E2', 'U1', NULL, NULL),
 -- U2: a contact-center queue, Wednesday 5 March at 9
 (21, '2025-03-05T09:00:00', 110, 10, 100, 'inbound', '+4533681003', '+4520000011', 'national', 'answered', 0, 'contact_center', 'E3', 'U2', 30, 0),
 (22, '2025-03-05T09:10:00', 120, 20, 100, 'inbound', '+4533681003', '+4520000012', 'national', 'answered', 0, 'contact_center', 'E3', 'U2', 60, 0),
 (23, '2025-03-05T09:20:00', 140, 40, 100, 'inbound', '+4533681003', '+4520000013', 'national', 'answered', 0, 'contact_center', 'E3', 'U2', 90, 0),
 (24, '2025-03-05T09:30:00', 3, 3, 0, 'inbound', NULL, '+4520000014', 'national', 'abandoned', 0, 'contact_center', NULL, 'U2', NULL, 1),
 (25, '2025-03-05T09:40:00', 50, 50, 0, 'inbound', NULL, '+4520000015', 'national', 'abandoned', 0, 'contact_center', NULL, 'U2', NULL, 0),
 -- M: under C1 until the 15th, under C2 from the 16th
 (31, '2025-03-10T09:00:00', 110, 10, 100, 'inbound', '+4533661004', '+4520000021', 'national', 'answered', 0, 'pbx', 'E4', 'M', NULL, NULL),
 (32, '2025-03-10T09:10:00', 110, 10, 100, 'inbound', '+4533661004', '+4520000022', 'national', 'answered', 0, 'pbx', 'E4', 'M', NULL, NULL),
 (33, '2025-03-20T09:00:00', 110, 10, 100, 'inbound', '+4533661004', '+4520000023', 'national', 'answered', 0, 'pbx', 'E4', 'M', NULL, NULL),
 (34, '2025-03-20T09:10:00', 110, 10, 100, 'inbound', '+4533661004', '+4520000024', 'national', 'answered', 0, 'pbx', 'E4', 'M', NULL, NULL),
 -- after the period (from/to = 2025-03): left out
 (41, '2025-04-07T10:00:00', 70, 10, 60, 'inbound', '+4533661001', '+4520000001', 'national', 'answered', 0, 'pbx', 'E1', 'U1', NULL, NULL),
 -- not attributed to a unit: left out
 (42, '2025-03-03T10:00:00', 70, 10, 60, 'inbound', '+4533669999', '+4520000001', 'national', 'answered', 0, 'pbx', NULL, NULL, NULL, NULL);

-- Q: 1000 calls answered in one hour (Monday 3 March, 10:00-10:50), 180 s each
INSERT INTO c
 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
 SELECT 1000 + i, strftime('%Y-%m-%dT%H:%M:%S', '2025-03-03T10:00:00', '+' || (3 * i) || ' seconds'),
   185, 5, 180, 'inbound', '+4533661005', '+457' || printf('%07d', i), 'national', 'answered', 0,
   'pbx', 'E5', 'Q', NULL, NULL FROM n;

INSERT INTO calls (source, source_file_id, source_record, start_utc, start_local, duration_s, wait_s, talk_s,
  direction, local_number, remote_number, remote_type, outcome, transferred, channel, employee_id, unit_id, wrap_s, short_abandon)
 SELECT 'hand', 1, rec, strftime('%Y-%m-%dT%H:%M:%SZ', loc, '-1 hour'), loc, dur, wait, talk,
  dir, lnum, rnum, rtype, outcome, xfer, channel, emp, unit, wrap, sa FROM c ORDER BY rec;

INSERT INTO costs (source, source_file_id, source_record, invoice_id, invoice_date, period_start, period_end, unit_id, category, number, amount_dkk) VALUES
 ('hand', 1, 1, 'F1', '2025-03-31', '2025-03-01', '2025-03-31', 'U1', 'usage', NULL, 260),
 ('hand', 1, 2, 'F2', '2025-04-30', '2025-04-01', '2025-04-30', 'U1', 'usage', NULL, 999),
 ('hand', 1, 3, 'F1', '2025-03-31', '2025-03-01', '2025-03-31', NULL, 'subscription', '+4530000001', 100),
 ('hand', 1, 4, 'F1', '2025-03-31', '2025-03-01', '2025-03-31', NULL, 'usage', '+4530000001', 20),
 ('hand', 1, 5, 'F1', '2025-03-31', '2025-03-01', '2025-03-31', NULL, 'subscription', '+4530000002', 100),
 ('hand', 1, 6, 'F2', '2025-04-30', '2025-04-01', '2025-04-30', NULL, 'subscription', '+4530000001', 100);
