ALTER TABLE `appeals` ADD `check_in_id` text;--> statement-breakpoint
ALTER TABLE `appeals` ADD `upheld` integer;--> statement-breakpoint
ALTER TABLE `checkins` ADD `presence` text DEFAULT 'unconfirmed' NOT NULL;--> statement-breakpoint
ALTER TABLE `checkins` ADD `venue_name` text;--> statement-breakpoint
ALTER TABLE `checkins` ADD `code_iat` integer;--> statement-breakpoint
ALTER TABLE `checkins` ADD `voided_at` text;--> statement-breakpoint
ALTER TABLE `risk_areas` ADD `exclude_unconfirmed` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `venues` ADD `status` text DEFAULT 'unverified' NOT NULL;--> statement-breakpoint
ALTER TABLE `venues` ADD `credit_code` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `verified_at` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `verified_by` text;--> statement-breakpoint
CREATE INDEX `venues_status` ON `venues` (`status`,`created_at`);