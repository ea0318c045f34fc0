# Adopt every backup job of a server in one plan + apply, writing no ID by
# hand. See docs/guides/adopting-existing-jobs.md.

terraform {
  required_providers {
    jetbackup = {
      source = "jetbackup-community/jetbackup"
    }
  }
}

provider "jetbackup" {}

# Every job on the server, with every attribute in the resource's own shapes.
data "jetbackup_backup_jobs" "all" {}

locals {
  jobs = { for job in data.jetbackup_backup_jobs.all.jobs : job.id => job }
}

# One import per job (Terraform 1.7 and later).
import {
  for_each = local.jobs
  to       = jetbackup_backup_job.adopted[each.key]
  id       = each.key
}

resource "jetbackup_backup_job" "adopted" {
  for_each = local.jobs

  name         = each.value.name
  type         = each.value.type
  structure    = each.value.structure
  destination  = each.value.destination
  contains     = each.value.contains
  options      = each.value.options
  retry_failed = each.value.retry_failed
  include_list = each.value.include_list
  exclude_list = each.value.exclude_list
  filters      = each.value.filters
  time         = each.value.time
  owner        = each.value.owner
  disabled     = each.value.disabled

  dynamic "schedules" {
    for_each = each.value.schedules
    content {
      id     = schedules.value.id
      retain = schedules.value.retain
    }
  }

  dynamic "monitor" {
    for_each = each.value.monitor
    content {
      ranfor = monitor.value.ranfor
      notran = monitor.value.notran
    }
  }
}

# The adopted jobs' settings, to freeze into the configuration afterwards:
#   terraform output -json adopted_jobs > jobs.json
output "adopted_jobs" {
  value = local.jobs
}
