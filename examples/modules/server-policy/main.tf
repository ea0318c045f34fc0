# One server's whole backup policy: where backups go, when they run, which
# accounts they cover, and the jobs. Every object is found by reference, so
# the same module builds the same policy on any server its provider
# configuration points at.

terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

locals {
  # Objects of this policy are named "<prefix><what>", so an admin looking
  # at the panel can tell them from objects made by hand.
  prefix = var.name_prefix
}

resource "jetbackup_destination" "local" {
  name = "${local.prefix}Local"

  local {
    path = var.local_path
  }
}

# The jobs below write to this destination and use the filter further
# down. JetBackup refuses to delete either while a job still uses it, and by
# default Terraform deletes a removed object before it updates the objects
# that used it. create_before_destroy turns that around: turning the offsite
# destination off (or emptying excluded_resellers) first moves the jobs off
# it, then deletes it, in one apply; a replacement likewise creates the new
# object, moves the jobs, then deletes the old one.
resource "jetbackup_destination" "offsite" {
  count = var.offsite_s3 == null ? 0 : 1

  name = "${local.prefix}Offsite"

  s3 {
    bucket     = var.offsite_s3.bucket
    region     = var.offsite_s3.region
    endpoint   = var.offsite_s3.endpoint
    path       = var.offsite_s3.path
    access_key = var.offsite_s3.access_key
    secret_key = var.offsite_s3.secret_key
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "jetbackup_schedule" "daily" {
  name         = "${local.prefix}Daily"
  type         = "daily"
  days_of_week = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}

resource "jetbackup_schedule" "weekly" {
  name        = "${local.prefix}Weekly"
  type        = "weekly"
  day_of_week = var.weekly_day
}

# Accounts owned by these resellers are left out of the accounts job.
resource "jetbackup_account_filter" "excluded_resellers" {
  count = length(var.excluded_resellers) == 0 ? 0 : 1

  name      = "${local.prefix}Excluded resellers"
  type      = "resellers"
  condition = "exclude"
  list      = var.excluded_resellers

  # See the offsite destination: removed or replaced after the job moves off it.
  lifecycle {
    create_before_destroy = true
  }
}

locals {
  destinations = concat(
    [jetbackup_destination.local.id],
    jetbackup_destination.offsite[*].id,
  )
}

resource "jetbackup_backup_job" "accounts" {
  name        = "${local.prefix}Accounts"
  type        = "accounts"
  structure   = "incremental"
  destination = local.destinations
  time        = var.backup_time

  filters = length(var.excluded_resellers) == 0 ? null : [
    [jetbackup_account_filter.excluded_resellers[0].group_id],
  ]

  schedules {
    id     = jetbackup_schedule.daily.id
    retain = var.retention.daily
  }
  schedules {
    id     = jetbackup_schedule.weekly.id
    retain = var.retention.weekly
  }
}

resource "jetbackup_backup_job" "server_config" {
  name         = "${local.prefix}Server configuration"
  type         = "directories"
  structure    = "archived"
  destination  = local.destinations
  time         = var.backup_time
  include_list = var.config_directories

  schedules {
    id     = jetbackup_schedule.weekly.id
    retain = var.retention.weekly
  }
}

# A script run on the server before each accounts backup (a database dump,
# say), when the caller gives one.
resource "jetbackup_hook" "pre_backup" {
  count = var.pre_backup_script == null ? 0 : 1

  name           = "${local.prefix}Before the accounts backup"
  script         = var.pre_backup_script
  when           = "pre"
  on             = "backup"
  backup_job_ids = [jetbackup_backup_job.accounts.id]
}

# Failed backups reported by e-mail as they happen. JetBackup has no way to
# switch a level off, so the routine levels come as a daily digest.
resource "jetbackup_notification_integration" "failures" {
  count = var.failure_email == null ? 0 : 1

  name        = "${local.prefix}Failures"
  type        = "email"
  recipients  = [var.failure_email]
  critical    = "realtime"
  warning     = "daily"
  information = "daily"
}
