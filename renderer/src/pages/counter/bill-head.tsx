// The top of a bill as looked up (the bill card, the chosen-amount step): the service, the demo
// chip, and the first rows of the bill's grid — the account and the masked payee.
import { useTranslation } from 'react-i18next';
import type { BillDto } from '../../../../shared/contract';
import { serviceKey } from '../../components/labels';

type Looked = Pick<BillDto, 'service' | 'demo' | 'accountNo' | 'payeeMasked'>;

export function BillHead({ bill }: { bill: Looked }) {
  const { t } = useTranslation();
  return (
    <div className="bill-head">
      <span className="bill-service">{t(serviceKey(bill.service))}</span>
      {bill.demo && <span className="demo-chip">{t('station.demo')}</span>}
    </div>
  );
}

/** The account and payee rows; their test ids are `${testIds}-account` and `${testIds}-payee`. */
export function BillWho({ bill, testIds }: { bill: Looked; testIds: string }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="bill-label">{t('bill.account')}</div>
      <div className="bill-value mono" data-testid={`${testIds}-account`}>
        {bill.accountNo}
      </div>
      <div className="bill-label">{t('bill.payee')}</div>
      <div className="bill-value bill-payee" data-testid={`${testIds}-payee`}>
        {bill.payeeMasked}
      </div>
    </>
  );
}
