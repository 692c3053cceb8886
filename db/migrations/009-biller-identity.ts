// Migration 009: who a bill is paid to (issue 13 problem 8). The customer's slip names the biller
// (收费单位) and its service hotline as the central system gave them with the bill; they are kept
// with the looked-up bill and then with the payment's details. Bills looked up before keep NULL
// (their slips print without them).
import { billInquiriesNoReplace } from './restated';

export const version = 9;

export const sql = /* sql */ `
ALTER TABLE bill_inquiries ADD COLUMN biller_name TEXT;
ALTER TABLE bill_inquiries ADD COLUMN biller_hotline TEXT;

-- bill_inquiries_no_replace again (006), refreshing the biller too.
DROP TRIGGER bill_inquiries_no_replace;
${billInquiriesNoReplace(['biller_name = NEW.biller_name, biller_hotline = NEW.biller_hotline'])}
`;
