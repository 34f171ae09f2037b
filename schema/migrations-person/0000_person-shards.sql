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
	`event` text,
	`check_in_id` text,
	`upheld` integer
);
--> statement-breakpoint
CREATE INDEX `appeals_state_created` ON `appeals` (`state`,`created_at`);--> statement-breakpoint
CREATE INDEX `appeals_person` ON `appeals` (`person_id`,`created_at`);--> statement-breakpoint
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
CREATE INDEX `vaccination_records_person` ON `vaccination_records` (`person_id`);