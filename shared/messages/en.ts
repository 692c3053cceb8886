// The refusal messages in English, with the same codes and variants as zh-CN.ts (the type
// makes a missing one a compile error). `{{name}}` is filled from the error's details.
import type { MessageCatalogue } from './zh-CN';

export const en: MessageCatalogue = {
  INVALID_INPUT: {
    default: 'Invalid input: please check and try again',
    issue: 'Invalid input: {{issue}}',
    issueAt: 'Invalid input: {{path}}: {{issue}}',
    method: 'The API accepts POST only',
    contentType: 'The request must be JSON',
    json: 'The request is not valid JSON',
    tooLarge: 'The request is too large',
    badUrl: 'The request address is not valid',
    badRequest: 'The request is not valid',
    futureCount: 'A business day that has not begun cannot be counted',
    openingCash: 'The opening cash is the counted cash of the previous close; it cannot be entered',
    printerInterface: 'The printer interface is not in a valid format',
    printerInterfaceProblem: 'The printer interface is not valid: {{problem}}',
  },
  NOT_LOGGED_IN: { default: 'Log in first: choose the operator and enter the PIN' },
  NOT_PERMITTED: {
    default:
      'Your authorisation does not cover {{permission}} ({{permissionZh}}); the contract holder must do it',
    holderOnly: 'Only the contract holder may change this setting',
  },
  NOT_ADMITTED: {
    default:
      "This person is not on the platform's list of authorised operators, or the authorisation has ended",
  },
  OPERATOR_LOCKED: { default: 'Wrong PIN 5 times: this operator is locked until {{until}}' },
  WRONG_PIN: { default: 'Wrong PIN; {{left}} tries left' },
  PIN_NOT_SET: { default: 'First login: set a PIN (4–8 digits, typed twice)' },
  PIN_MISMATCH: { default: 'The two PINs differ' },
  UNAUTHORIZED: {
    default: 'Not authorised: open this from the Yizhan program on this computer',
    noBackend: 'Not connected to the Yizhan backend',
  },
  NOT_TRAINED: { default: 'This operator has not been trained for this service and cannot handle it' },
  SERVICE_NOT_OPEN: { default: 'The postal platform has not opened this service to this station' },
  TRAINING_UNAVAILABLE: {
    default: 'Training mode is not available right now: {{reason}}',
    none: 'This station offers no training mode',
  },
  TRAINING_NOT_ALLOWED: {
    default: "The station's real settings cannot be changed in training mode; leave training mode first",
  },
  CERTIFICATE_REFUSED: {
    default:
      "The postal platform refuses this station's requests: its certificate has expired or been revoked, or the station is not activated. Contact the postal office",
  },
  NOT_FOUND: {
    default: 'Record not found',
    operator: 'No such operator',
    channel: 'No such API channel: {{channel}}',
    bill: 'Bill not found: please look it up first',
    voucherUnconfirmed: 'The central system did not confirm this deposit voucher: {{reason}}',
    noGreenCard: 'This station has no Postal green card linked; self-service top-up is not possible',
    greenCardUnconfirmed: 'The central system did not confirm this green-card top-up: {{reason}}',
    zReport: 'No such Z report',
    trainingSerial:
      '{{serial}} is a training-mode slip (its serial begins with LX), not a real transaction: it cannot be looked up, reprinted or reversed at the real counter',
    realSerialInTraining:
      'Training mode looks up training slips only (serials beginning with LX); look up the real slip {{serial}} after leaving training mode',
    zSlip: 'No such Z report: that business day has not been closed',
    noReceipt: 'This kind of transaction has no receipt',
    uiNotBuilt: 'The interface has not been built: run npm run build:renderer first',
  },
  IDEMPOTENCY_CONFLICT: {
    default: 'This transaction number was already used for a different request; please start again',
  },
  IN_PROGRESS: { default: 'This transaction is being processed; please check the result shortly' },
  DUPLICATE_VOUCHER: {
    default: 'This deposit voucher has already been credited; it cannot top up twice',
    bankRef: 'This bank reference has already been credited; it cannot top up twice',
  },
  ALREADY_REVERSED: { default: 'This transaction has already been reversed; it cannot be reversed again' },
  NOT_REVERSIBLE: {
    default: 'This transaction cannot be reversed',
    isReversal: 'A reversal cannot itself be reversed',
    centralRefused: 'The central system did not agree to the reversal: {{reason}}',
  },
  DAY_CLOSED: {
    default: 'This business day is closed; nothing more can be posted to it',
    day: 'Business day {{day}} is closed',
    dayWithZ: 'Business day {{day}} is closed (Z{{zNo}})',
    untilTomorrow:
      'Business day {{day}} is closed: no more business today; the counter reopens after midnight',
  },
  BILL_EXPIRED: { default: 'The bill lookup has expired: please look it up again' },
  BILL_ALREADY_PAID: { default: 'This bill has already been paid' },
  NO_BILL_DUE: { default: 'There is no bill due for this account' },
  AMOUNT_REQUIRED: {
    default: 'Nothing is due on this account: enter the amount the customer chooses',
    limits: 'Nothing is due on this account: enter the amount the customer chooses ({{min}}–{{max}} yuan)',
  },
  AMOUNT_OUT_OF_RANGE: {
    default: "The amount is outside the biller's limits",
    limits: 'The amount {{amount}} yuan is outside the limits: it must be between {{min}} and {{max}} yuan',
  },
  AMOUNT_FIXED: {
    default: 'This bill is paid at the amount due only, not an amount of choice',
    amounts: 'This bill is paid at the amount due, {{amountDue}} yuan, only (entered: {{amount}} yuan)',
  },
  PAYEE_NOT_CONFIRMED: {
    default: 'Check the payee and the amount with the customer before paying (confirmed with the customer)',
    unknown: 'There is no record of this confirmation: check the bill with the customer again',
    otherBill: 'This confirmation is for another bill: check this bill with the customer',
    otherAmount:
      'The amount confirmed, {{confirmed}} yuan, is not the amount paid, {{amount}} yuan: check it with the customer again',
    changed:
      'The bill (payee, amount or fee) is not what was confirmed: look it up again and check it with the customer',
    otherOperator: 'Another operator made this confirmation: check the bill with the customer yourself',
  },
  PAYEE_CONFIRMATION_EXPIRED: {
    default: 'The confirmation with the customer has expired: check the bill with them again',
    minutes:
      'The bill was confirmed with the customer over {{minutes}} minutes ago: check it with them again',
  },
  PAYEE_CONFIRMATION_USED: {
    default: 'This confirmation was used by another payment: check the bill with the customer again',
  },
  CASH_SHORT: {
    default: 'The cash received does not cover the amount due',
    amounts: 'Not enough cash: due {{total}} yuan, received {{cashReceived}} yuan, {{missing}} yuan short',
  },
  CASH_TOO_MUCH: {
    default: 'The cash received is far more than the amount due: please check it',
    amounts:
      'Too much cash: due {{total}} yuan, received {{cashReceived}} yuan; at most {{maxOver}} yuan over the amount due is taken, please check the amount',
  },
  INSUFFICIENT_FLOAT: {
    default: 'The prepaid float is too low: please top up first',
    payment:
      'The prepaid float is too low: this payment needs {{needed}} yuan, {{available}} yuan available, {{shortfall}} yuan short; please top up first',
    reversal:
      'The prepaid float is too low to reverse this top-up: needs {{needed}} yuan, {{available}} yuan available, {{shortfall}} yuan short',
  },
  PAYMENT_NOT_MADE: {
    default:
      'The payment system did not receive this payment and nothing was taken. Confirm with the customer before paying again',
  },
  PAYMENT_DECLINED: {
    default: 'The biller declined this payment',
    reason: 'The biller declined this payment: {{reason}}',
  },
  GATEWAY_UNAVAILABLE: {
    default: 'The payment system cannot be reached right now; please try again later',
    outcomeUnknown:
      'The payment system did not answer in time; the outcome of this payment is pending. Do not take the cash again: retry the same transaction later and the system will look up the result first',
    centralBalance:
      'The central system cannot be reached for the float balance: look the balance up in the postal system and enter it by hand',
  },
  DAY_NOT_CLOSABLE: {
    default: 'This business day cannot be closed now: close the earlier open business days first',
    future: 'A business day that has not begun cannot be closed',
    order: 'Close {{earliestOpen}} first: business days are closed in order',
  },
  PENDING_PAYMENTS: {
    default: 'Some payments are still pending; the day cannot be closed: settle the pending payments first',
    count:
      '{{pending}} payment(s) still pending; the day cannot be closed: retry later or settle the pending payments first',
  },
  COUNT_REQUIRED: {
    default: 'Count the cash drawer first (the latest count is used)',
    none: 'Count the cash drawer first',
    recounted: 'The cash drawer was counted again: the latest count is used',
  },
  REMARK_REQUIRED: {
    default: 'There is a difference: explain it before closing the day',
    float:
      'Float differs from the central balance by {{floatDifference}} yuan: please explain the difference',
    cash: 'Cash over/short {{cashVariance}} yuan: please explain the difference',
    both: 'Float differs from the central balance by {{floatDifference}} yuan, cash over/short {{cashVariance}} yuan: please explain the difference',
  },
  TAKINGS_EXCEEDED: {
    default: 'The settlement amount exceeds the unsettled takings',
    amounts: 'The settlement amount {{amount}} yuan exceeds the unsettled takings of {{takingsDue}} yuan',
  },
  RECONCILIATION_FAILED: { default: 'The accounts do not reconcile; the day cannot be closed: call support' },
  MONITOR_NOT_CONFIGURED: {
    default:
      'No monitoring platform address is set; nothing is uploaded yet (records are kept and sent once it is set)',
  },
  MONITOR_UNREACHABLE: {
    default: 'The monitoring platform cannot be reached; the system retries by itself and no record is lost',
    reason:
      'The monitoring platform cannot be reached ({{reason}}); the system retries by itself and no record is lost',
  },
  MONITOR_REFUSED: {
    default:
      "The monitoring platform refused this station's upload: ask the postal administration to check the station's registration",
    monitor: 'The monitoring platform refused the upload: {{monitorMessage}} ({{monitorCode}})',
  },
  MONITOR_KEY_UNAVAILABLE: { default: "The station's upload key cannot be read: call support" },
  FAULT_ALREADY_REPORTED: {
    default:
      'An abnormal situation of the same kind with the same description is already recorded today: no need to report it again; if it changed, describe what is new',
  },
  FAULT_REPORT_LIMIT: {
    default:
      '{{max}} abnormal situations have already been reported by hand today; no more can be reported: call the postal branch directly',
  },
  PAYMENT_PENDING: {
    default:
      'A payment of this bill is still waiting for its outcome: do not pay it again under another transaction; retry the original one (the system asks for its outcome first)',
  },
  DAY_NOT_COUNTABLE: {
    default: 'Only today or the oldest business day not yet closed can be counted',
    oldest:
      'Only today ({{today}}) or the oldest business day not yet closed ({{oldestUnclosed}}) can be counted',
    todayOnly: 'Only today ({{today}}) can be counted: {{day}} is not a business day waiting to be closed',
  },
  SECOND_HOLDER: { default: 'This station already has its contract holder: a second one cannot be added' },
  LEDGER_TAMPERED: {
    default:
      'The ledger did not verify (records may have been changed): payments and top-ups are stopped. Contact the postal administration and technical support',
    problem:
      'The ledger did not verify: {{problem}}. Payments and top-ups are stopped. Contact the postal administration and technical support',
  },
  SETUP_REQUIRED: {
    default: 'This computer has no station yet: choose the demo station or activate a real station first',
  },
  ALREADY_SET_UP: { default: 'This computer has a station already; the choice cannot be made again' },
  ACTIVATION_REFUSED: {
    default: 'The platform refused the activation: {{platformMessage}} ({{platformCode}})',
    code: 'The activation code is wrong, used or expired (or not for this institution number): check it, or ask the postal office for a new code',
    profile:
      'The station profile the platform sent did not verify ({{reason}}); not activated: contact the postal office',
  },
  PLATFORM_UNREACHABLE: {
    default:
      'The postal platform at {{url}} cannot be reached: check the address and the network, then try again',
    notPlatform: '{{url}} is not a postal platform (its reply was not understood): check the address',
  },
  PLATFORM_EMBEDDED: {
    default: 'The demo station runs with its own embedded platform; its address cannot be changed',
  },
  INTERNAL: { default: 'Internal error: this transaction was not completed' },
};
