# Terraform 1.5 and later: an import block. Without a matching resource block,
# `terraform plan -generate-config-out=generated.tf` writes its configuration
# from the schedule as JetBackup holds it.
import {
  to = jetbackup_schedule.twice_a_week
  id = "6503f0a0ebbf07708d06f202"
}
