CREATE TABLE `appeals` (
	`appeal_id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`account_id` text NOT NULL,
	`kind` text NOT NULL,
	`text_enc` text NOT NULL,
	`evidence_ref_enc` text,
	`state` text NOT NULL,
	`created_at` text NOT NULL,
	`answer_enc` text,
	`answered_at` text,
	`answered_by` text,
	`event` text
);
--> statement-breakpoint
CREATE INDEX `appeals_state_created` ON `appeals` (`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `appeals_person` ON `appeals` (`person_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_kind` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`reason` text,
	`detail` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_actor_at` ON `audit_log` (`actor`,`at`);--> statement-breakpoint
CREATE INDEX `audit_target` ON `audit_log` (`target`);--> statement-breakpoint
CREATE TABLE `checkins` (
	`check_in_id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`checked_in_at` text NOT NULL,
	`color` text,
	`distance_m` integer,
	`device_key_id` text,
	`entry_id` text
);
--> statement-breakpoint
CREATE INDEX `checkins_venue_at` ON `checkins` (`venue_id`,`checked_in_at`,`check_in_id`);--> statement-breakpoint
CREATE INDEX `checkins_person_at` ON `checkins` (`person_id`,`checked_in_at`);--> statement-breakpoint
CREATE INDEX `checkins_at` ON `checkins` (`checked_in_at`);--> statement-breakpoint
CREATE TABLE `lookup_counters` (
	`key_id` text NOT NULL,
	`hour` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`key_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `manual_entries` (
	`entry_id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`device_key_id` text NOT NULL,
	`name_enc` text NOT NULL,
	`phone_enc` text NOT NULL,
	`person_id` text,
	`entered_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `manual_entries_venue_at` ON `manual_entries` (`venue_id`,`entered_at`);--> statement-breakpoint
CREATE INDEX `manual_entries_at` ON `manual_entries` (`entered_at`);--> statement-breakpoint
CREATE TABLE `color_changes` (
	`person_id` text NOT NULL,
	`version` integer NOT NULL,
	`from_color` text,
	`to_color` text NOT NULL,
	`at` text NOT NULL,
	`rules` text NOT NULL,
	`rule_set_version` text,
	`district_code` text,
	PRIMARY KEY(`person_id`, `version`)
);
--> statement-breakpoint
CREATE INDEX `color_changes_at` ON `color_changes` (`at`);--> statement-breakpoint
CREATE TABLE `color_snapshots` (
	`person_id` text PRIMARY KEY NOT NULL,
	`color` text NOT NULL,
	`version` integer NOT NULL,
	`since` text NOT NULL,
	`district_code` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `color_snapshots_color_district` ON `color_snapshots` (`color`,`district_code`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`origin_queue` text,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`reason` text,
	`received_at` text NOT NULL,
	`replayed_at` text
);
--> statement-breakpoint
CREATE INDEX `dead_letters_received` ON `dead_letters` (`received_at`);--> statement-breakpoint
CREATE TABLE `import_chunks` (
	`import_id` text NOT NULL,
	`chunk` integer NOT NULL,
	`receipt` text NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`import_id`, `chunk`)
);
--> statement-breakpoint
CREATE TABLE `import_lines` (
	`person_id` text NOT NULL,
	`source` text NOT NULL,
	`since` text NOT NULL,
	`color` text NOT NULL,
	`import_id` text,
	`imported_at` text NOT NULL,
	PRIMARY KEY(`person_id`, `source`, `since`)
);
--> statement-breakpoint
CREATE INDEX `import_lines_import` ON `import_lines` (`import_id`);--> statement-breakpoint
CREATE TABLE `trusted_issuers` (
	`issuer` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`region_code` text NOT NULL,
	`format` text NOT NULL,
	`algorithms` text NOT NULL,
	`jwks_uri` text,
	`jwks` text,
	`crls` text,
	`status` text NOT NULL,
	`keys_fetched_at` text,
	`last_refresh_at` text,
	`last_refresh_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_keys` (
	`key_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`label` text,
	`created_at` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_owner` ON `api_keys` (`owner_id`);--> statement-breakpoint
CREATE TABLE `labs` (
	`lab_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `account_persons` (
	`account_id` text NOT NULL,
	`person_id` text NOT NULL,
	`relationship` text NOT NULL,
	`verified` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`account_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `account_persons_person` ON `account_persons` (`person_id`);--> statement-breakpoint
CREATE TABLE `persons` (
	`person_id` text PRIMARY KEY NOT NULL,
	`id_type` text NOT NULL,
	`name_enc` text NOT NULL,
	`phone_enc` text,
	`masked_name` text NOT NULL,
	`nationality` text,
	`district_code` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `persons_district` ON `persons` (`district_code`);--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`endpoint` text NOT NULL,
	`account_id` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`created_at` text NOT NULL,
	`last_success_at` text,
	`failures` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint_unique` ON `push_subscriptions` (`endpoint`);--> statement-breakpoint
CREATE INDEX `push_subscriptions_account` ON `push_subscriptions` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `test_results` (
	`person_id` text NOT NULL,
	`lab_id` text NOT NULL,
	`sample_id` text NOT NULL,
	`test` text NOT NULL,
	`result` text NOT NULL,
	`sampled_at` text NOT NULL,
	`reported_at` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `test_results_person` ON `test_results` (`person_id`,`sampled_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `test_results_lab_sample` ON `test_results` (`lab_id`,`sample_id`);--> statement-breakpoint
CREATE TABLE `paper_codes` (
	`code_id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`rid` text NOT NULL,
	`color` text NOT NULL,
	`version` integer NOT NULL,
	`issued_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_by` text NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE INDEX `paper_codes_person` ON `paper_codes` (`person_id`,`expires_at`);--> statement-breakpoint
CREATE TABLE `revocations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rid` text NOT NULL,
	`before` integer,
	`person_id` text NOT NULL,
	`scope` text NOT NULL,
	`code_id` text,
	`reason` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`until` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `revocations_until` ON `revocations` (`until`);--> statement-breakpoint
CREATE INDEX `revocations_person` ON `revocations` (`person_id`);--> statement-breakpoint
CREATE TABLE `risk_area_persons` (
	`risk_area_id` text NOT NULL,
	`person_id` text NOT NULL,
	PRIMARY KEY(`risk_area_id`, `person_id`)
);
--> statement-breakpoint
CREATE TABLE `risk_area_venues` (
	`risk_area_id` text NOT NULL,
	`venue_id` text NOT NULL,
	PRIMARY KEY(`risk_area_id`, `venue_id`)
);
--> statement-breakpoint
CREATE INDEX `risk_area_venues_venue` ON `risk_area_venues` (`venue_id`);--> statement-breakpoint
CREATE TABLE `risk_areas` (
	`risk_area_id` text PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`district_code` text,
	`venue_ids` text,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`affected_persons` integer NOT NULL,
	`lifted_at` text,
	`lifted_by` text,
	`lift_reason` text
);
--> statement-breakpoint
CREATE INDEX `risk_areas_lifted` ON `risk_areas` (`lifted_at`);--> statement-breakpoint
CREATE TABLE `rule_sets` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version` text NOT NULL,
	`body` text NOT NULL,
	`published_at` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rule_sets_version_unique` ON `rule_sets` (`version`);--> statement-breakpoint
CREATE TABLE `signing_keys` (
	`kid` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwk_enc` text,
	`active_from` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`retired_at` text
);
--> statement-breakpoint
CREATE TABLE `directory_versions` (
	`directory` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `testing_sites` (
	`site_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`district_code` text NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`opening_hours` text NOT NULL,
	`services` text NOT NULL,
	`free` integer NOT NULL,
	`phone` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `testing_sites_district` ON `testing_sites` (`district_code`);--> statement-breakpoint
CREATE TABLE `vaccination_records` (
	`site_id` text NOT NULL,
	`record_id` text NOT NULL,
	`person_id` text NOT NULL,
	`product` text NOT NULL,
	`dose` integer NOT NULL,
	`date` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY(`site_id`, `record_id`)
);
--> statement-breakpoint
CREATE INDEX `vaccination_records_person` ON `vaccination_records` (`person_id`);--> statement-breakpoint
CREATE TABLE `vaccination_sites` (
	`site_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`district_code` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `venues` (
	`venue_id` text PRIMARY KEY NOT NULL,
	`owner_account_id` text NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`address` text NOT NULL,
	`district_code` text NOT NULL,
	`lat` real,
	`lon` real,
	`place_code_gen` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text
);
--> statement-breakpoint
CREATE INDEX `venues_owner` ON `venues` (`owner_account_id`);--> statement-breakpoint
CREATE INDEX `venues_district` ON `venues` (`district_code`);