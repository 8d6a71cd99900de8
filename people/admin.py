from django.contrib import admin

from core.changelist import ModelAdmin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(ModelAdmin):
    """Operators manage every profile; each staff member may write their own.

    A byline states a person's credentials to readers, so nobody else may change them.
    """

    list_display = ["public_name", "role", "user", "order"]
    search_fields = ["public_name", "role", "user__username"]
    fields = ["user", "public_name", "role", "bio", "conflicts", "order"]

    def get_queryset(self, request):
        profiles = super().get_queryset(request).select_related("user")
        if request.user.is_superuser or request.user.has_perm("people.change_profile"):
            return profiles
        return profiles.filter(user=request.user)

    def own(self, request, obj):
        return obj is not None and obj.user_id == request.user.pk

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or (
            request.user.is_staff and (obj is None or self.own(request, obj))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self.own(request, obj)

    def has_add_permission(self, request):
        if super().has_add_permission(request):
            return True
        return request.user.is_staff and not Profile.objects.filter(user=request.user).exists()

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("people.change_profile"):
            return []
        return ["user", "order"]

    def save_model(self, request, obj, form, change):
        if not request.user.has_perm("people.change_profile"):
            obj.user = request.user  # a staff member writes their own profile only
        super().save_model(request, obj, form, change)
