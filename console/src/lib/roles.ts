// What the signed-in account may see in the console, from its role and the
// kind of its org as the server reports them (the server still checks every call).
import type { Account } from '@/api/types'

export const isAdmin = (a: Account | null) => a?.role === 'admin'
/** City admins manage the holiday calendar, the notification queue and the Open311 integrators. */
export const isCityAdmin = (a: Account | null) => isAdmin(a) && a?.org_kind === 'city'
/** Department staff answer invitations (约请); town and community staff handle items and sessions. */
export const isDepartment = (a: Account | null) => a?.org_kind === 'department'

/** The page a freshly signed-in account starts on. */
export function homeOf(a: Account | null): string {
  if (isAdmin(a)) return '/admin/accounts'
  if (isDepartment(a)) return '/work/invitations'
  return '/work/inbox'
}
