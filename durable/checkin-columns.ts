/** A check-in's columns as both objects store them (venue migration 1, person migration 4). */
export interface CheckInColumns extends Record<string, SqlStorageValue> {
  check_in_id: string;
  kind: string;
  checked_in_at: string;
  color: string | null;
  distance_m: number | null;
  device_key_id: string | null;
  entry_id: string | null;
  presence: string;
  venue_name: string | null;
  code_iat: number | null;
  voided_at: string | null;
}
