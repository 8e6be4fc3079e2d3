"""The forms behind the consultation admin: questions typed inline (options one per line,
checked with the service's own rules before anything is saved) and the paper answer sheet
(one field per question)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, actor_scope
from core.exceptions import ApplicationError
from residents.models import Resident

from ..models import Question
from ..services.consultations import clean_questions

# ---------------------------------------------------------------------------------------------
# Questions: one inline row per question, its options typed one per line


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("选项（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 30}),
        help_text=_("选择题填写，填写意见题留空"),
    )

    class Meta:
        model = Question
        fields = ("kind", "text", "required", "max_choices", "max_length")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(
                o.text for o in self.instance.options.all()
            )

    def as_question(self):
        data = self.cleaned_data
        lines = (data.get("options_text") or "").splitlines()
        return {
            "kind": data.get("kind"),
            "text": data.get("text"),
            "required": data.get("required", True),
            "max_choices": data.get("max_choices"),
            "max_length": data.get("max_length"),
            "options": [line.strip() for line in lines if line.strip()],
        }


class QuestionFormSet(forms.BaseInlineFormSet):
    """Checks the whole question set with the service's own rules before anything is saved,
    so a refusal shows on the question it concerns."""

    def live_forms(self):
        return [
            f
            for f in self.forms
            if f.has_changed() or f.instance.pk
            if not (self.can_delete and self._should_delete_form(f))
        ]

    def clean(self):
        super().clean()
        if any(self.errors) or not self.has_changed():
            return
        forms_ = self.live_forms()
        if not forms_:
            raise forms.ValidationError(gettext("请至少设置一个问题。"))
        try:
            clean_questions([f.as_question() for f in forms_])
        except ApplicationError as exc:
            for key, reasons in exc.fields.items():
                _prefix, n, *field = key.split(".")
                target = forms_[int(n)] if n.isdigit() and int(n) < len(forms_) else None
                name = field[0] if field else None
                name = "options_text" if name == "options" else name
                if target is not None and name in target.fields:
                    target.add_error(name, reasons)
                else:
                    raise forms.ValidationError(reasons) from exc


# ---------------------------------------------------------------------------------------------
# Paper answers


class PaperResponseForm(forms.Form):
    """One field per question; the service validates the answers and names the question."""

    resident = forms.ModelChoiceField(
        label=_("居民档案编号"),
        queryset=Resident.objects.none(),
        widget=forms.TextInput,
        help_text=_("在居民档案中查到的编号"),
    )
    note = forms.CharField(label=_("说明"), max_length=100, required=False)

    def __init__(self, *args, consultation, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = actor_scope(user).filter(
            Resident.objects.filter(status=Resident.Status.LIVING), Level.PEOPLE
        )
        self.questions = list(consultation.questions.all())
        for question in self.questions:
            label = f"{question.position}. {question.text}"
            choices = [(o.pk, o.text) for o in question.options.all()]
            if question.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[("", "—"), *choices],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label,
                    choices=choices,
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
            if question.required:
                field.help_text = gettext("必答")
            self.fields[f"q{question.pk}"] = field

    def answers(self):
        answers = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == Question.Kind.TEXT:
                answers.append({"question": question.pk, "text": value or ""})
            elif question.kind == Question.Kind.SINGLE:
                answers.append({"question": question.pk, "options": [value] if value else []})
            else:
                answers.append({"question": question.pk, "options": list(value or [])})
        return answers
