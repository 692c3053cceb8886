// Migration 010: one character for 账 (issue 13 problem 10: 帐/账 were mixed). The fault a Z
// close with a difference records (migration 004's trigger) says 日终轧账 now, like every screen
// and slip; faults recorded before keep their text.
export const version = 10;

export const sql = /* sql */ `
DROP TRIGGER monitor_faults_reconciliation;
CREATE TRIGGER monitor_faults_reconciliation AFTER INSERT ON day_closes
WHEN NEW.float_difference_fen <> 0 OR NEW.cash_variance_fen <> 0
BEGIN
  INSERT INTO monitor_faults (day, kind, at, last_at, detail, source)
  SELECT NEW.day, 'reconciliation', t.at, t.at,
         substr(
           'Z' || NEW.z_no || ' 日终轧账有差额：'
           || CASE WHEN NEW.float_difference_fen <> 0 THEN
                '预存款与中心余额差额 ' || CASE WHEN NEW.float_difference_fen < 0 THEN '-' ELSE '' END
                || (abs(NEW.float_difference_fen) / 100) || '.' || printf('%02d', abs(NEW.float_difference_fen) % 100)
                || ' 元（' || coalesce(NEW.float_remark, '') || '）' ELSE '' END
           || CASE WHEN NEW.float_difference_fen <> 0 AND NEW.cash_variance_fen <> 0 THEN '；' ELSE '' END
           || CASE WHEN NEW.cash_variance_fen <> 0 THEN
                '现金长短款 ' || CASE WHEN NEW.cash_variance_fen < 0 THEN '-' ELSE '' END
                || (abs(NEW.cash_variance_fen) / 100) || '.' || printf('%02d', abs(NEW.cash_variance_fen) % 100)
                || ' 元（' || coalesce(NEW.cash_remark, '') || '）' ELSE '' END,
           1, 400),
         'z:' || NEW.z_no
  FROM (SELECT coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', NEW.closed_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) AS at) t
  WHERE true
  ON CONFLICT(day, kind, detail) DO UPDATE SET occurrences = occurrences + 1, last_at = max(last_at, excluded.last_at);
END;
`;
