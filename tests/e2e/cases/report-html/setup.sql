-- A hand-made store for `callmap report`: the canonical rows the report
-- reads directly (organisation, costs, the ledger, rejects, calls for the
-- unattributed count) and analysis tables with the columns of the issue,
-- filled with numbers whose report values are easy to work out.
INSERT INTO source_files (id, run_id, source, path, member, sha256, bytes, records_read, records_loaded, records_rejected, status, error, plugin, plugin_version, kind)
VALUES (1, 1, 'pbx', '/data/pbx/2025-03.zip', 'Master.csv', 'a1', 100, 5, 3, 2, 'loaded', NULL, 'pbx', '1.0.0', 'asterisk-cdr'),
       (2, 1, 'pbx', '/data/pbx/2025-04.zip', 'Master.csv', 'a2', 100, 1, 0, 1, 'failed', '/data/pbx/2025-04.zip!Master.csv: Truncated zip archive', 'pbx', '1.0.0', 'asterisk-cdr'),
       (3, 1, 'tdc', '/data/invoice-1.xml', NULL, 'b1', 100, 2, 2, 0, 'loaded', NULL, 'tdc', '1.0.0', 'invoice');
INSERT INTO rejects (source_file_id, record, reason, raw) VALUES
  (1, 7, 'date ''2025-13-01'' is not a date', 'x'),
  (1, 9, 'date ''2025-02-30'' is not a date', 'y'),
  (2, 1, 'expected 18 columns, found 3', 'z');
INSERT INTO calls (source, source_file_id, source_record, start_utc, start_local, direction, outcome, unit_id)
VALUES ('pbx', 1, 1, '2025-03-03T09:00:00Z', '2025-03-03T10:00:00', 'inbound', 'answered', 'A'),
       ('pbx', 1, 2, '2025-03-04T09:00:00Z', '2025-03-04T10:00:00', 'inbound', 'missed', NULL),
       ('pbx', 1, 3, '2025-04-30T09:00:00Z', '2025-04-30T11:00:00', 'inbound', 'answered', NULL);
INSERT INTO org_units (source, source_file_id, source_record, unit_id, name, parent_id, type, valid_from)
VALUES ('hr-org', 9, 1, 'ADM', 'Administration', NULL, 'administration', '2020-01-01'),
       ('hr-org', 9, 2, 'A', 'Alpha <script>alert(1)</script> & Co', 'ADM', 'unit', '2020-01-01'),
       ('hr-org', 9, 3, 'B', 'Beta', 'ADM', 'unit', '2020-01-01');
INSERT INTO employees (source, source_file_id, source_record, employee_id, unit_id, name)
VALUES ('hr', 9, 1, 'E1', 'A', 'Anna Hansen'), ('hr', 9, 2, 'E2', 'A', 'Bo Jensen');
INSERT INTO invoices (source, source_file_id, source_record, invoice_id, supplier_cvr, supplier_name, issue_date)
VALUES ('tdc', 3, 1, 'F1', '26173183', 'TDC Erhverv', '2025-03-31');
INSERT INTO costs (source, source_file_id, source_record, supplier_cvr, invoice_id, invoice_date, period_start, period_end, unit_id, category, number, amount_dkk)
VALUES ('tdc', 3, 1, '26173183', 'F1', '2025-03-31', '2025-03-01', '2025-03-31', 'A', 'subscription', '+4530000001', 1000),
       ('tdc', 3, 2, '26173183', 'F1', '2025-03-31', '2025-03-01', '2025-03-31', NULL, 'usage', NULL, 123.45);

CREATE TABLE unit_month (unit_id, month, inbound, outbound, internal, answered, missed, abandoned, transferred,
  answered_share, missed_share, abandoned_share, transferred_share, answering_employees, employees_over_threshold,
  busiest_20pct_share, peak_hour_share, mobile_share, hidden_share, repeat_callers_7d_share, avg_talk_s,
  cost_dkk, cost_per_call_dkk);
INSERT INTO unit_month VALUES
  ('A', '2025-03', 1000, 200, 0, 800, 200, 0, 80, 0.8, 0.2, 0, 0.1, 5, 2, 0.5, 0.25, 0.5, 0.01, 0.1, 120, 1200, 1.0),
  ('A', '2025-04', 1500, 300, 0, 1200, 300, 0, 240, 0.8, 0.2, 0, 0.2, 5, 3, 0.5, 0.25, 0.5, 0.01, 0.1, 120, 1800, 1.0),
  ('B', '2025-03', 100, 0, 0, 90, 10, 0, 9, 0.9, 0.1, 0, 0.1, 2, 0, 0.5, 0.25, 0, 0, 0, 60, 0, 0),
  ('B', '2025-04', 100, 0, 0, 90, 10, 0, 18, 0.9, 0.1, 0, 0.2, 2, 0, 0.5, 0.25, 0, 0, 0, 60, 0, 0),
  ('ADM', '2025-03', 1100, 200, 0, 890, 210, 0, 89, 0.809, 0.191, 0, 0.1, 7, 2, 0.5, 0.25, 0.45, 0.01, 0.1, 115, 1200, 0.923),
  ('ADM', '2025-04', 1600, 300, 0, 1290, 310, 0, 258, 0.806, 0.194, 0, 0.2, 7, 3, 0.5, 0.25, 0.47, 0.01, 0.1, 115, 1800, 0.947);
CREATE TABLE unit_hour_weekday (unit_id, weekday, hour, inbound);
INSERT INTO unit_hour_weekday VALUES ('A', 1, 9, 12.5), ('A', 5, 14, 3.25), ('B', 2, 10, 1);
CREATE TABLE employee_month (employee_id, unit_id, month, inbound, answered, missed, talk_s);
INSERT INTO employee_month VALUES ('E1', 'A', '2025-03', 150, 140, 10, 9000), ('E1', 'A', '2025-04', 170, 160, 10, 9000),
  ('E2', 'A', '2025-03', 60, 50, 10, 3000), ('E2', 'A', '2025-04', 40, 30, 10, 2000);
CREATE TABLE unit_potential (unit_id, calls_per_year, persons_answering, load_erlang, agents_needed, saving_dkk_low, saving_dkk_high, reasons);
INSERT INTO unit_potential VALUES ('A', 15000, 5, 1.5, 3, 12345.6, 24691.2, '[]'), ('B', 1200, 2, 0.1, 1, 500, 1000, '[]'),
  ('ADM', 16200, 7, 1.6, 3, 13000, 26000, '[]');
CREATE TABLE unit_potential_reasons (unit_id, rank, datapoint, label, value, peer_median, threshold, direction);
INSERT INTO unit_potential_reasons VALUES ('A', 1, 'transferred_share', 'Transferred share of answered calls', 0.16, 0.1, 0.15, 'higher'),
  ('A', 2, 'my_point', 'My <own> point', 3.5, 1, 2, 'higher');
CREATE TABLE subscription_usage (number, unit_id, employee_id, months_billed, cost_dkk, calls_in, calls_out);
INSERT INTO subscription_usage VALUES ('+4530000001', 'A', 'E2', 2, 600, 1, 0), ('+4530000002', 'A', 'E1', 2, 600, 50, 10);
