// Migration 010: one character for 账 (issue 13 problem 10: 帐/账 were mixed). The fault a Z
// close with a difference records (migration 004's trigger) says 日终轧账 now, like every screen
// and slip; faults recorded before keep their text.
import { monitorFaultsReconciliation } from './restated';

export const version = 10;

export const sql = /* sql */ `
DROP TRIGGER monitor_faults_reconciliation;
${monitorFaultsReconciliation('账')}
`;
