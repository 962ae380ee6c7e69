from django.contrib import admin

from jxjy.accounts.admin import SysadminOnly

from .models import Level, Series, Specialty


class SpecialtyInline(SysadminOnly, admin.TabularInline):
    model = Specialty
    extra = 0


class LevelInline(SysadminOnly, admin.TabularInline):
    model = Level
    extra = 0


@admin.register(Series)
class SeriesAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    inlines = [SpecialtyInline, LevelInline]

    def get_inline_instances(self, request, obj=None):
        return [inline(self.model, self.admin_site) for inline in self.inlines] if obj else []


@admin.register(Specialty)
class SpecialtyAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "series", "order", "is_active"]
    list_filter = ["series"]


@admin.register(Level)
class LevelAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ["name", "series", "order", "is_active"]
    list_filter = ["series"]
