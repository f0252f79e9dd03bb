import { ROLES, type Role } from '@roundtable/protocol'
import { useTranslation } from 'react-i18next'
import { useMeeting } from '../../app/meeting-runtime.tsx'
import type { ControlProps } from '../../shared/ui/Field.tsx'

/** The meeting's delegations, with an empty first choice. */
export const DelegationSelect = ({
  value,
  onChange,
  required,
  ...control
}: ControlProps & {
  value: string
  onChange: (delegationId: string) => void
  required?: boolean
}) => {
  const { t } = useTranslation()
  const delegations = useMeeting((s) => s.delegations)
  return (
    <select {...control} value={value} required={required} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('invitations.chooseDelegation')}</option>
      {delegations.map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </select>
  )
}

export const RoleSelect = ({
  value,
  onChange,
  ...control
}: ControlProps & {
  value: Role
  onChange: (role: Role) => void
}) => {
  const { t } = useTranslation()
  return (
    <select {...control} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`roles.${r}`)}
        </option>
      ))}
    </select>
  )
}
