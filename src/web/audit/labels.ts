// The Chinese names of audit events and objects live with the server's (src/shared/audit-events.ts).
export { AUDIT_EVENT_LABELS, AUDIT_OBJECT_LABELS, auditEventLabel as eventLabel, auditObjectLabel as objectLabel } from '../../shared/audit-events';
