DROP TABLE `appeals`;--> statement-breakpoint
DROP TABLE `checkins`;--> statement-breakpoint
DROP TABLE `manual_entries`;--> statement-breakpoint
DROP TABLE `color_changes`;--> statement-breakpoint
DROP TABLE `color_snapshots`;--> statement-breakpoint
DROP TABLE `import_lines`;--> statement-breakpoint
DROP TABLE `account_persons`;--> statement-breakpoint
DROP TABLE `persons`;--> statement-breakpoint
DROP TABLE `push_subscriptions`;--> statement-breakpoint
DROP TABLE `test_results`;--> statement-breakpoint
DROP TABLE `paper_codes`;--> statement-breakpoint
DROP TABLE `revocations`;--> statement-breakpoint
DROP TABLE `risk_area_persons`;--> statement-breakpoint
DROP TABLE `vaccination_records`;--> statement-breakpoint
DROP INDEX `risk_area_venues_venue`;