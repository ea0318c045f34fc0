# Terraform 1.5 and later: an import block. Without a matching resource block,
# `terraform plan -generate-config-out=generated.tf` writes its configuration
# from the job as JetBackup holds it.
import {
  to = jetbackup_backup_job.accounts_nightly
  id = "6504c79fd4b57d536c05bbe2"
}
