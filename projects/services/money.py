"""Money: special-fund pools, budget lines and expenses, each checked under a row lock so that
two requests at once can never overdraw a pool or a line.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from ..models import RECEIPT_EXTENSIONS, BudgetLine, Expense, FundPool, Project
from ._common import (
    MAX_UPLOAD_BYTES,
    _event,
    _invalid,
    _lock,
    _require,
    _require_open,
    _text,
    _validate_image,
)


def _money(value, field):
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise _invalid(field, _("请输入有效的金额。")) from None
    if not amount.is_finite():
        raise _invalid(field, _("请输入有效的金额。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise _invalid(field, _("金额最多保留两位小数。"))
    if amount.adjusted() >= 10:
        raise _invalid(field, _("金额过大。"))
    return amount


def _positive_money(value, field):
    amount = _money(value, field)
    if amount <= 0:
        raise _invalid(field, _("金额必须大于 0。"))
    return amount


def pool_allocated(pool) -> Decimal:
    """What a pool has given out: every special-fund line of a live project, and of a cancelled
    project only what it spent (a cancelled project cannot spend more, so the rest goes back to
    the pool the moment it is cancelled; no row is edited, the rule is in this sum)."""
    lines = BudgetLine.objects.filter(pool=pool, source=BudgetLine.Source.SPECIAL_FUND)
    live = lines.exclude(project__stage=Project.Stage.CANCELLED).aggregate(total=Sum("amount"))
    spent_by_cancelled = Expense.objects.filter(
        budget_line__in=lines.filter(project__stage=Project.Stage.CANCELLED)
    ).aggregate(total=Sum("amount"))
    return (live["total"] or Decimal("0")) + (spent_by_cancelled["total"] or Decimal("0"))


def project_fund_release(project) -> list[tuple[FundPool, Decimal]]:
    """For a project being cancelled (its row locked): lock the pools it draws on, in pk order
    like every other allocation, and say how much of each goes back (allocated minus spent)."""
    lines = BudgetLine.objects.filter(project=project, source=BudgetLine.Source.SPECIAL_FUND)
    pool_ids = sorted(set(lines.values_list("pool_id", flat=True)))
    released = []
    for pool in FundPool.objects.select_for_update().filter(pk__in=pool_ids).order_by("pk"):
        allocated = lines.filter(pool=pool).aggregate(total=Sum("amount"))["total"]
        spent = Expense.objects.filter(budget_line__in=lines.filter(pool=pool)).aggregate(
            total=Sum("amount")
        )["total"] or Decimal("0")
        left = (allocated - spent).quantize(Decimal("0.01"))
        if left > 0:
            released.append((pool, left))
    return released


@transaction.atomic
def fund_pool_set(*, actor, community, year, amount, note="") -> FundPool:
    """Set a community's special-fund pool for a year (street admins). It can never be set
    below what projects have already been allocated from it."""
    probe = FundPool(community=community, year=year)
    _require(actor, "projects.set_fundpool", probe)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _invalid("year", _("请输入有效的年度。"))
    amount = _money(amount, "amount")
    if amount < 0:
        raise _invalid("amount", _("金额不能为负数。"))
    note = _text(note, "note", max_length=200, required=False)
    pool = FundPool.objects.select_for_update().filter(community=community, year=year).first()
    if pool is None:
        try:
            with transaction.atomic():
                pool = FundPool.objects.create(
                    community=community, year=year, amount=amount, note=note, updated_by=actor
                )
        except IntegrityError:
            # Another request created the pool first: lock it and apply this change on top.
            pool = FundPool.objects.select_for_update().get(community=community, year=year)
        else:
            return pool
    allocated = pool_allocated(pool)
    if amount < allocated:
        raise ApplicationError(
            _("已分配 %(allocated)s 元，资金总额不能低于已分配金额。") % {"allocated": allocated},
            code="conflict",
            fields={"amount": _("不能低于已分配的 %(a)s 元。") % {"a": allocated}},
        )
    pool.amount = amount
    pool.note = note
    pool.updated_by = actor
    pool.save(update_fields=["amount", "note", "updated_by", "updated_at"])
    return pool


@transaction.atomic
def budget_line_add(*, actor, project, source, amount, pool=None, description) -> BudgetLine:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    if source not in BudgetLine.Source.values:
        raise _invalid("source", _("请选择有效的资金来源。"))
    amount = _positive_money(amount, "amount")
    description = _text(description, "description", max_length=200)
    is_fund = source == BudgetLine.Source.SPECIAL_FUND
    if is_fund and pool is None:
        raise _invalid("pool", _("专项资金须选择资金池。"))
    if not is_fund and pool is not None:
        raise _invalid("pool", _("只有专项资金需要选择资金池。"))
    _require_open(project, _("调整预算"))
    if is_fund:
        # The pool row lock serialises every allocation from this pool: the sum read below
        # cannot change until this transaction ends, so concurrent requests never overdraw.
        pool = FundPool.objects.select_for_update().get(pk=pool.pk)
        if pool.community_id != project.community_id:
            raise _invalid("pool", _("只能使用本居民区的专项资金。"))
        remaining = pool.amount - pool_allocated(pool)
        if amount > remaining:
            message = _("专项资金余额不足：剩余 %(remaining)s 元。") % {"remaining": remaining}
            raise ApplicationError(message, code="conflict", fields={"amount": message})
    line = BudgetLine.objects.create(
        project=project,
        source=source,
        amount=amount,
        pool=pool,
        description=description,
        created_by=actor,
    )
    _event(
        project,
        actor=actor,
        verb="budget_line_added",
        note=description,
        source=source,
        amount=str(amount),
        budget_line_id=line.pk,
    )
    return line


def _validate_receipt(receipt):
    if not receipt:
        return
    name = (getattr(receipt, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in RECEIPT_EXTENSIONS:
        raise _invalid("receipt", _("票据须为图片（jpg、png、webp）或 PDF 文件。"))
    if receipt.size > MAX_UPLOAD_BYTES:
        raise _invalid("receipt", _("文件不能超过 10 MB。"))
    if ext == "pdf":
        receipt.seek(0)
        head = receipt.read(5)
        receipt.seek(0)
        if head != b"%PDF-":
            raise _invalid("receipt", _("文件不是有效的 PDF。"))
    else:
        _validate_image(receipt, "receipt")


@transaction.atomic
def expense_record(
    *, actor, project, budget_line, amount, spent_on, payee, description, receipt=None
) -> Expense:
    project = _lock(project)
    _require(actor, "projects.manage_project", project)
    amount = _positive_money(amount, "amount")
    payee = _text(payee, "payee", max_length=100)
    description = _text(description, "description", max_length=200)
    if not isinstance(spent_on, datetime.date):
        raise _invalid("spent_on", _("请输入支出日期。"))
    if spent_on > timezone.localdate():
        raise _invalid("spent_on", _("支出日期不能晚于今天。"))
    _validate_receipt(receipt)
    _require_open(project, _("登记支出"))
    # Locking the line serialises spending against it (the sum below stays true until commit).
    line = BudgetLine.objects.select_for_update().filter(pk=budget_line.pk, project=project).first()
    if line is None:
        raise _invalid("budget_line", _("请选择本项目的预算明细。"))
    spent = line.expenses.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if spent + amount > line.amount:
        raise _invalid(
            "amount",
            _("超出该预算明细：预算 %(budget)s 元，已支出 %(spent)s 元，剩余 %(left)s 元。")
            % {"budget": line.amount, "spent": spent, "left": line.amount - spent},
        )
    expense = Expense.objects.create(
        project=project,
        budget_line=line,
        amount=amount,
        spent_on=spent_on,
        payee=payee,
        description=description,
        receipt=receipt or "",
        recorded_by=actor,
    )
    _event(
        project,
        actor=actor,
        verb="expense_recorded",
        note=description,
        amount=str(amount),
        payee=payee,
        budget_line_id=line.pk,
        expense_id=expense.pk,
    )
    return expense
